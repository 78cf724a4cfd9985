#!/bin/sh
# pg.sh — a throwaway PostgreSQL server for the tests (a CTest fixture).
#
#   pg.sh start DIR   initdb in DIR, start on a Unix socket in DIR, create the
#                     database "xsirt", write its URL to DIR/url
#   pg.sh stop DIR    stop it (immediate: the data is thrown away, so no
#                     shutdown checkpoint) and remove DIR
#
# PostgreSQL refuses to run as root, so as root it runs as the "postgres"
# user (the Debian package creates it).
set -eu
cmd=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg.sh: PostgreSQL server not installed (scripts/setup)"; exit 1; }

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
    if [ -f "$dir/url" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "pg.sh: already running: $(cat "$dir/url")"
        exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    # The socket path must be short (108 bytes): use /tmp, linked from DIR.
    sock=$(mktemp -d /tmp/xsirt-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir" "$sock"
    as_pg "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log"; exit 1; }
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=on -c max_connections=300" \
        start >/dev/null || { cat "$dir/server.log"; exit 1; }
    echo "$sock" > "$dir/socket"
    as_pg "$bindir/createdb" -h "$sock" -U postgres xsirt
    echo "postgresql:///xsirt?host=$sock&user=postgres" > "$dir/url"
    echo "pg.sh: started $(cat "$dir/url")"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ -f "$dir/socket" ] && rm -rf "$(cat "$dir/socket")"
    rm -rf "$dir"
    echo "pg.sh: stopped"
    ;;
*)
    echo "usage: pg.sh start|stop DIR"; exit 2 ;;
esac

#!/bin/bash
# inside.sh — the package test's steps inside the fresh Debian root (run
# there by install.sh, as root, in its own mount namespace).
#
#   inside.sh install PORT   apt-get install /tmp/xsirt.deb; the user, the
#                            files and their modes; xsirt init and the
#                            service's serve as _xsirt; /healthz, the UI,
#                            the API; a backup while serving, restored
#   inside.sh purge          apt-get purge: the programs and /etc/xsirt go,
#                            the data in /var/lib/xsirt stays
#
# bash, not sh: /dev/tcp is the HTTP client (minbase has no curl).
set -u
passed=0
failed=0
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else fail "$what"; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# http PORT PATH [TOKEN] — the whole answer (head and body) on stdout.
http() {
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n' "$2" \
        "${3:+Authorization: Bearer $3$'\r\n'}" >&3
    cat <&3
    exec 3<&-
}

phase_install() {
    local port=$1 start pid i
    start=$(date +%s)
    apt-get update -q > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get update"; finish; }
    # Without recommends: what the package itself depends on must suffice.
    if apt-get install -y -q --no-install-recommends /tmp/xsirt.deb >> /tmp/apt.log 2>&1; then ok
    else tail -n 30 /tmp/apt.log; fail "apt-get install ./xsirt.deb"; finish; fi
    echo "inside: installed with its dependencies in $(( $(date +%s) - start ))s"

    check "xsirt --version runs" sh -c '/usr/bin/xsirt --version | grep -q "^xsirt "'
    check "xsirt-server in /usr/libexec/xsirt" test -x /usr/libexec/xsirt/xsirt-server
    check "the system user _xsirt" sh -c "getent passwd _xsirt >/dev/null"
    check "its group" sh -c "getent group _xsirt >/dev/null"
    check "/var/lib/xsirt is _xsirt's, mode 0700" \
        test "$(stat -c '%U %a' /var/lib/xsirt)" = "_xsirt 700"
    check "/etc/xsirt/xsirt.conf is a conffile" sh -c 'dpkg-query -W -f="\${Conffiles}" xsirt | grep -q /etc/xsirt/xsirt.conf'
    check "/etc/xsirt/xsirt.conf: root:_xsirt 0640" \
        test "$(stat -c '%U:%G %a' /etc/xsirt/xsirt.conf)" = "root:_xsirt 640"
    check "xsirt(1)" test -f /usr/share/man/man1/xsirt.1.gz
    check "xsirt.conf(5)" test -f /usr/share/man/man5/xsirt.conf.5.gz
    while read -r name; do
        check "a man page for 'xsirt $name'" test -f "/usr/share/man/man1/xsirt-$name.1.gz"
    done < /tmp/commands
    check "operations.md in the package's docs" test -f /usr/share/doc/xsirt/operations.md.gz -o -f /usr/share/doc/xsirt/operations.md
    check "the unit" test -f /lib/systemd/system/xsirt.service
    # The unit as this distribution's systemd loads it (its ExecStart and
    # its man pages must be there): systemd and man-db into the root too.
    if apt-get install -y -q --no-install-recommends systemd man-db >> /tmp/apt.log 2>&1; then
        check "systemd-analyze verify xsirt.service" systemd-analyze verify /lib/systemd/system/xsirt.service
        systemd-analyze security --offline=yes /lib/systemd/system/xsirt.service 2>/dev/null | tail -n 1
        check "man xsirt-serve renders" sh -c 'man -P cat xsirt-serve 2>/dev/null | grep -q -- --tls-proxy'
    else
        fail "apt-get install systemd man-db"
    fi

    # init as the service user, then the service's own start script (as
    # the unit runs it) with the port from the environment, which must
    # win over the file's XSIRT_LISTEN.
    check "xsirt init as _xsirt" sh -c "runuser -u _xsirt -- xsirt init --data /var/lib/xsirt >/dev/null"
    check "the database is _xsirt's, mode 0600" \
        test "$(stat -c '%U %a' /var/lib/xsirt/xsirt.db)" = "_xsirt 600"
    check "initial-credentials mode 0600" test "$(stat -c '%a' /var/lib/xsirt/initial-credentials)" = 600
    # A setting from the file (no request log), one from the environment.
    sed -i 's/^XSIRT_QUIET=0$/XSIRT_QUIET=1/' /etc/xsirt/xsirt.conf
    runuser -u _xsirt -- env XSIRT_LISTEN="127.0.0.1:$port" STATE_DIRECTORY=/var/lib/xsirt \
        /usr/libexec/xsirt/xsirt-service > /tmp/serve.log 2>&1 &
    pid=$!
    for i in $(seq 1 100); do
        grep -q "serving http" /tmp/serve.log && break
        sleep 0.1
    done
    check "xsirt serve started on the port of the environment" grep -q "serving http://127.0.0.1:$port/" /tmp/serve.log
    check "serve runs as _xsirt" sh -c 'for p in /proc/[0-9]*; do
        [ "$(cat "$p/comm" 2>/dev/null)" = xsirt-server ] && stat -c %U "$p"; done | grep -qx _xsirt'

    token=$(sed -n 's/^token: //p' /var/lib/xsirt/initial-credentials)
    http "$port" /healthz > /tmp/a 2>&1
    check "GET /healthz: 200" grep -q '^HTTP/1.[01] 200 ' /tmp/a
    http "$port" / > /tmp/a 2>&1
    check "GET /: the web UI built in" grep -qi '<script' /tmp/a
    http "$port" /api/v1/teams "$token" > /tmp/a 2>&1
    check "GET /api/v1/teams with the initial token: 200" grep -q '^HTTP/1.[01] 200 ' /tmp/a
    http "$port" /api/v1/teams > /tmp/a 2>&1
    check "and 401 without it" grep -q '^HTTP/1.[01] 401 ' /tmp/a

    check "xsirt backup as _xsirt while serving" sh -c "runuser -u _xsirt -- xsirt backup --data /var/lib/xsirt /var/lib/xsirt/backup.db >/dev/null"
    check "xsirt restore of it, audit chain intact" \
        sh -c 'runuser -u _xsirt -- xsirt restore --data /var/lib/xsirt/restored /var/lib/xsirt/backup.db | grep -q "audit chain intact"'

    kill "$pid"
    wait "$pid"
    check "SIGTERM stops the server cleanly" grep -q "xsirt: stopped" /tmp/serve.log
    check "the file's XSIRT_QUIET=1 applied: no request log" sh -c '! grep -q "\"event\":\"request\"" /tmp/serve.log'
    echo "inside: serve log:"; sed 's/^/  /' /tmp/serve.log | head -n 5
}

phase_purge() {
    if apt-get purge -y -q xsirt > /tmp/purge.log 2>&1; then ok; else cat /tmp/purge.log; fail "apt-get purge xsirt"; fi
    check "xsirt is gone" test ! -e /usr/bin/xsirt
    check "xsirt-server is gone" test ! -e /usr/libexec/xsirt/xsirt-server
    check "the unit is gone" test ! -e /lib/systemd/system/xsirt.service
    check "/etc/xsirt is gone" test ! -e /etc/xsirt
    check "the data stays (the administrator's to delete)" test -f /var/lib/xsirt/xsirt.db
    check "dpkg knows no xsirt" sh -c '! dpkg-query -W -f="\${Status}" xsirt 2>/dev/null | grep -q installed'
}

case "${1:-}" in
install) phase_install "${2:?port}" ;;
purge) phase_purge ;;
*) echo "usage: inside.sh install PORT | purge" >&2; exit 2 ;;
esac
finish

#!/bin/sh
# install.sh — the Debian package as an administrator meets it: installed
# with apt into a clean Debian root (debootstrap --variant=minbase, the
# distribution this machine runs), the user, files and man pages it
# brings, `xsirt init` and the service's `xsirt serve` run as the service
# user, /healthz, the web UI and the API answered, a backup taken while it
# serves and restored, then the package purged. CTest label "package".
#
#   tests/package/install.sh DIR      DIR holds xsirt_VERSION_ARCH.deb (make deb)
#
# Needs root (debootstrap, chroot, a mount namespace) and the Debian
# mirror; exits 77 (CTest: skipped) without them or without a package.
# The fresh root is cached as DIR/root-cache.tar: the first run pays for
# debootstrap, later runs unpack it. The steps inside the root are
# inside.sh, run there by bash.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
dir=$(cd "${1:?usage: install.sh DIR}" && pwd)
arch=$(dpkg --print-architecture)
deb=$(ls "$dir"/xsirt_*_"$arch".deb 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$deb" ] || { echo "install.sh: no xsirt_*_$arch.deb in $dir: run 'make deb' first (skipped)"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "install.sh: needs root for debootstrap and chroot (skipped)"; exit 77; }
command -v debootstrap >/dev/null || { echo "install.sh: debootstrap missing: scripts/setup (skipped)"; exit 77; }
src=$(cd "$here/../.." && pwd)
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
mirror=${XSIRT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$dir/root
cache=$dir/root-cache.tar
start=$(date +%s)

rm -rf "$root"
mkdir -p "$root"
if [ -f "$cache" ]; then
    tar -C "$root" -xf "$cache"
else
    debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$dir/debootstrap.log" 2>&1 \
        || { tail -n 20 "$dir/debootstrap.log"; echo "install.sh: debootstrap failed (skipped)"; exit 77; }
    tar -C "$root" -cf "$cache" .
fi
echo "install.sh: clean $suite root in $(( $(date +%s) - start ))s"
# The machine's own sources (security updates: the package's library
# versions come from this machine) and resolver.
if [ -d /etc/apt/sources.list.d ]; then
    rm -f "$root/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null || true
fi
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/xsirt.deb"
cp "$here/inside.sh" "$root/tmp/inside.sh"
sed -n 's/^XSIRT_CLI_[A-Z_]*COMMAND(\([a-z0-9_]*\)).*/\1/p' "$src/src/cli/commands.def" > "$root/tmp/commands"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Runs inside.sh PHASE in the root, in a mount namespace of its own (its
# /proc and /dev vanish with it), and adds its "N passed, N failed".
inside() {
    rc=0
    unshare --mount --fork sh -c '
        set -e
        mount -t proc proc "$1/proc"
        mount --rbind /dev "$1/dev"
        exec chroot "$1" /bin/bash /tmp/inside.sh "$2" "$3"
    ' sh "$root" "$1" "$port" > "$dir/inside-$1.log" 2>&1 || rc=$?
    cat "$dir/inside-$1.log"
    line=$(tail -n 1 "$dir/inside-$1.log")
    in_passed=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    in_failed=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$in_passed" ]; then
        failed=$((failed + 1)); echo "FAIL: inside.sh $1 exited $rc without its count"
        return
    fi
    passed=$((passed + in_passed)); failed=$((failed + in_failed))
    [ "$rc" -eq 0 ] || [ "$in_failed" -gt 0 ] || { failed=$((failed + 1)); echo "FAIL: inside.sh $1 exited $rc"; }
}

inside install
echo "install.sh: installed and served in $(( $(date +%s) - start ))s"

inside purge
echo "install.sh: whole run $(( $(date +%s) - start ))s"
finish

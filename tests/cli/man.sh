#!/bin/sh
# man.sh — the manual pages in man/ stay true to the commands: every
# command of src/cli/commands.def has man/xsirt-NAME.1, every page belongs
# to a command, and each page names every option and usage line that
# `xsirt NAME --help` prints; every page formats without a groff warning
# (what lintian checks in the package).
. "$(dirname "$0")/../lib.sh"
src=${XSIRT_SOURCE_DIR:?}
man=$src/man

commands=$(sed -n 's/^XSIRT_CLI_[A-Z_]*COMMAND(\([a-z0-9_]*\)).*/\1/p' "$src/src/cli/commands.def")
[ -n "$commands" ] || { echo "FAIL: no commands in commands.def"; exit 1; }

# The page as plain words: roff escapes for minus and hyphen undone.
plain() { sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\(em/--/g' -e 's/\\f[BIRP]//g' "$1"; }

for name in $commands; do
    page=$man/xsirt-$name.1
    if [ ! -f "$page" ]; then
        failed=$((failed + 1)); echo "FAIL: command '$name' has no page man/xsirt-$name.1"
        continue
    fi
    passed=$((passed + 1))
    "$XSIRT" "$name" --help > "$_tmp/help" 2>&1
    plain "$page" > "$_tmp/page"
    for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' "$_tmp/help" | sort -u); do
        if grep -qF -- "$opt" "$_tmp/page"; then passed=$((passed + 1))
        else failed=$((failed + 1)); echo "FAIL: man/xsirt-$name.1 does not name $opt (xsirt $name --help does)"; fi
    done
    # Each usage line, whitespace folded, is a line of the page.
    sed -n '/^Usage:/,/^$/p' "$_tmp/help" | sed -e 's/^Usage://' -e 's/^ *//' -e 's/  */ /g' \
        | grep . > "$_tmp/usage"
    while IFS= read -r line; do
        if sed 's/  */ /g' "$_tmp/page" | grep -qxF -- "$line"; then passed=$((passed + 1))
        else failed=$((failed + 1)); echo "FAIL: man/xsirt-$name.1 lacks the usage line '$line'"; fi
    done < "$_tmp/usage"
done

for page in "$man"/xsirt-*.1; do
    name=$(basename "$page" .1); name=${name#xsirt-}
    if echo "$commands" | grep -qx "$name"; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAIL: man/xsirt-$name.1 names no command of commands.def"; fi
done

# groff's warnings, as lintian asks for them (man --warnings).
for page in "$man"/*.[15]; do
    LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 -z -wmac -wchar -wdelim -wel -wscale -wsyntax \
        "$page" 2> "$_tmp/warn"
    if [ -s "$_tmp/warn" ]; then failed=$((failed + 1)); echo "FAIL: $page:"; cat "$_tmp/warn"
    else passed=$((passed + 1)); fi
done
finish

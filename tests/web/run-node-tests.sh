#!/bin/sh
# Runs test files of tests/web (named relative to this directory) with `node --test`, as CTest
# does. Fails, never skips, when node is missing: packaging/install-deps.sh installs it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "web tests: node is not installed (run packaging/install-deps.sh)" >&2
  exit 1
fi
files=""
for name in "$@"; do files="$files $here/$name"; done
# shellcheck disable=SC2086 # one word per file; the names have no spaces
exec node --test $files

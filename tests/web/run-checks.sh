#!/bin/sh
# Type-checks (tsc --checkJs) and lints (ESLint) web/, and checks that web/vendor/ holds what
# the lock file installs. Installs web/node_modules with `npm ci` only when it is missing or
# does not match package-lock.json, so a tree that has it runs offline.
set -eu
web=$(cd "$(dirname "$0")/../../web" && pwd)
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "web checks: $tool is not installed (run packaging/install-deps.sh)" >&2
    exit 1
  fi
done
cd "$web"
if ! npm ls --all --offline >/dev/null 2>&1; then
  npm ci --no-audit --no-fund
fi
node tools/vendor.mjs --check
npx --no-install tsc -p tsconfig.json
npx --no-install eslint .
echo "web checks: tsc and eslint clean"

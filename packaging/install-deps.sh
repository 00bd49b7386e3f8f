#!/usr/bin/env bash
# Installs every build and test dependency of Coffer from Debian 12's packages.
# Idempotent and non-interactive: safe to run on every CI start.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libssl-dev libcurl4-openssl-dev libfuse3-dev fuse3
  libboost-dev libsqlite3-dev sqlite3
  libyaml-cpp-dev doctest-dev nlohmann-json3-dev libcli11-dev libspdlog-dev
  python3 python3-cryptography
  clang libclang-rt-14-dev
  libbenchmark-dev
  curl rsync git tar attr
  nodejs
  chromium
  lintian bash-completion systemd adduser
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# npm installs the web dashboard's pinned tools (web/package-lock.json). Asked for by command,
# not by package: a NodeSource nodejs bundles npm and conflicts with Debian's npm package.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

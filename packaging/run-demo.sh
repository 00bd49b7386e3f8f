#!/usr/bin/env bash
# Runs Coffer on a fresh Debian 12 machine: installs dependencies, builds, and starts what
# exists so far. It grows with the product: server, demo user, mounted folder.
set -euo pipefail
cd "$(dirname "$0")/.."

./packaging/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

echo
echo "Coffer is built in build/bin. The server and the mount are not built yet;"
echo "what works today is the crypto core, for example:"
echo "  build/bin/coffer fernet genkey > key && echo hello | build/bin/coffer fernet encrypt --key-file key"

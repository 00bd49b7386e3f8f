#!/usr/bin/env bash
# Builds the Debian packages coffer and coffer-server from this tree with CPack and prints the
# path of each .deb, one a line.
#   packaging/build-debs.sh [BUILD_DIR]     (default: build-release in the source tree)
# A new BUILD_DIR is configured as a Release build, warnings not errors unless COFFER_WERROR=ON
# is in the environment; an existing one is used as it is configured (tests/run-all.sh packages
# its one Release build with warnings as errors), so nothing is rebuilt for nothing.
set -euo pipefail
build=$(realpath -m "${1:-$(dirname "$0")/../build-release}")
cd "$(dirname "$0")/.."

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOFFER_WERROR="${COFFER_WERROR:-OFF}" >&2
elif [ -n "${COFFER_WERROR:-}" ]; then
  cmake -S . -B "$build" -DCOFFER_WERROR="$COFFER_WERROR" >&2
fi
cmake --build "$build" -j"$(nproc)" --target coffer cofferd coffer-admin coffer_compressed_docs coffer_completions >&2

packages=$build/packages
rm -rf "$packages"
(cd "$build" && cpack -G DEB -B "$packages" >&2)
ls "$packages"/coffer*_*.deb

#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs dependencies, makes ONE Release
# build with warnings as errors, runs every CTest test from it (unit, integration with real
# cofferd and real FUSE mounts, and packaging: include boundaries, bash completions, and the
# Debian packages built from that same build, linted, installed, run and purged when run as
# root), fuzzes the token and record parsers briefly (libFuzzer: the clang build), then builds
# the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer and runs them again.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
./packaging/install-deps.sh

cmake -S . -B build -DCOFFER_WERROR=ON -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure --timeout 900

FUZZ_SECONDS=${FUZZ_SECONDS:-10} ./tests/fuzz/run-short.sh

cmake -S . -B build-asan -DCOFFER_WERROR=ON -DCOFFER_SANITIZE=ON -DCOFFER_INTEGRATION_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs" --target unit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -L unit --output-on-failure

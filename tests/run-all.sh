#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs dependencies, makes a Release
# build with g++ and warnings as errors, runs every CTest test from it (unit, integration with
# real cofferd and real FUSE mounts, the dashboard in Chromium, and packaging: include
# boundaries, bash completions, exit statuses, and the Debian packages built from that same
# build, linted, installed, run and purged when run as root), then makes ONE clang Debug build
# with AddressSanitizer + UndefinedBehaviorSanitizer and the libFuzzer targets: runs the unit
# tests again under the sanitizers and fuzzes the token and record parsers briefly. The two
# builds are the g++ Release and the clang Debug builds docs/architecture.md promises.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
./packaging/install-deps.sh

cmake -S . -B build -DCOFFER_WERROR=ON -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure --timeout 900

CC=clang CXX=clang++ cmake -S . -B build-clang -DCOFFER_WERROR=ON -DCOFFER_SANITIZE=ON \
  -DCOFFER_FUZZ=ON -DCOFFER_INTEGRATION_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug
cmake --build build-clang -j"$jobs" --target unit_tests fuzz_targets
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-clang -L unit --output-on-failure -j"$jobs"
FUZZ_SECONDS=${FUZZ_SECONDS:-10} FUZZ_BUILD_DIR=build-clang FUZZ_BUILD_TYPE=Debug ./tests/fuzz/run-short.sh

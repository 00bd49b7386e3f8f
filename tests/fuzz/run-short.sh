#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan in build-fuzz/ and runs each for a
# short while (FUZZ_SECONDS, default 20), starting from the seeds in tests/fuzz/seeds. Exits
# non-zero on the first finding; libFuzzer leaves the crashing input in BUILD/findings/.
# FUZZ_BUILD_DIR and FUZZ_BUILD_TYPE choose another build (default build-fuzz, RelWithDebInfo).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-20}
build=${FUZZ_BUILD_DIR:-build-fuzz}
build_type=${FUZZ_BUILD_TYPE:-RelWithDebInfo}  # tests/run-all.sh reuses its clang Debug build
jobs=${FUZZ_JOBS:-$(nproc)}

CC=clang CXX=clang++ cmake -S . -B "$build" -DCOFFER_FUZZ=ON -DCOFFER_SANITIZE=ON -DCOFFER_WERROR=ON \
  -DCOFFER_INTEGRATION_TESTS=OFF -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_targets

mkdir -p "$build/findings"
for target in fuzz_fernet_token fuzz_records; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  echo "== $target for ${seconds}s"
  "$build/bin/$target" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$build/findings/$target-" "$corpus" "tests/fuzz/seeds/$target"
done

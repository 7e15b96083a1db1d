#!/usr/bin/env bash
# Builds every libFuzzer harness of tests/fuzz/ with clang and runs each for
# SECONDS (default 60), from its seed corpus tests/fuzz/corpus/<name>/ (the
# harness name without _fuzzer) and dictionary tests/fuzz/corpus/<name>.dict
# when present; what it finds is kept in build/fuzz/corpus/.
# A crash or failed check stops with the reproducer in build/fuzz/.
#   scripts/fuzz.sh [seconds]
# Skipped (exit 0) when clang++ is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; skipped (scripts/install-deps.sh installs it)"
  exit 0
fi
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DTASKCORE_BUILD_FUZZERS=ON -DTASKCORE_BUILD_SERVER=OFF \
  -DTASKCORE_BUILD_TESTS=OFF -DTASKCORE_BUILD_EXAMPLES=OFF -DTASKCORE_BUILD_BENCH=OFF >/dev/null
cmake --build build/fuzz --target fuzzers
shopt -s nullglob
fuzzers=(build/fuzz/tests/fuzz/*_fuzzer)
[ "${#fuzzers[@]}" -gt 0 ] || { echo "fuzz: no harness built" >&2; exit 1; }
for fuzzer in "${fuzzers[@]}"; do
  name="$(basename "$fuzzer" _fuzzer)"
  corpus="build/fuzz/corpus/$name"
  mkdir -p "$corpus"
  seeds=()
  [ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
  dict=()
  [ -f "tests/fuzz/corpus/$name.dict" ] && dict=("-dict=../../tests/fuzz/corpus/$name.dict")
  echo "== fuzz $name for ${seconds}s"
  (cd build/fuzz && "../../$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 "${dict[@]}" "../../$corpus" "${seeds[@]/#/../../}" 2>&1 | tail -n 12)
done

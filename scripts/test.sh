#!/usr/bin/env bash
# README command 2: install dependencies, build, and run every test: the
# doctest suites (core, storage, server end to end) through ctest, on
# SQLite and, in a throwaway PostgreSQL 15 cluster (scripts/with-postgres.sh),
# once more on PostgreSQL with the multi-server and fault tests, the
# Python package's pytest suites, examples and mypy --strict, the C++
# example, the C++ and Python install checks, a smoke run of every benchmark, a
# bounded run of every fuzzer (FUZZ_SECONDS each, default 30), then the same
# suites again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/test.sh               everything
#   scripts/test.sh --quick       skip the sanitizer pass
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh
jobs="$(nproc)"

echo "== build (RelWithDebInfo)"
scripts/build.sh release
echo "== tests (SQLite and PostgreSQL)"
scripts/with-postgres.sh ctest --test-dir build/release --output-on-failure -j "$jobs"

echo "== example"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
build/release/examples/taskcore_embedded_app "$tmp/example.db" >/dev/null

echo "== C++ package: the examples against an install (find_package, pkg-config, static)"
scripts/check-install.sh build/release

echo "== Python package: installed for /usr/bin/python3, and as a wheel"
scripts/check-python-package.sh build/release

echo "== benchmark smoke run (seconds; keeps the benches from rotting)"
BUILD_DIR=build/release bench/run.sh --smoke

echo "== fuzz every harness for a bounded time (skipped without clang)"
scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

if [ "$quick" -eq 0 ]; then
  echo "== build and tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  scripts/build.sh asan -DTASKCORE_SANITIZE=ON -DTASKCORE_BUILD_EXAMPLES=OFF -DTASKCORE_BUILD_BENCH=OFF
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    scripts/with-postgres.sh ctest --test-dir build/asan --output-on-failure -j "$jobs"
fi
echo "== all tests passed"

#!/usr/bin/env bash
# Installs a configured and built tree into a temporary prefix and uses the
# package as an outside program would: examples/ as a CMake project of its
# own (find_package, shared library), then examples/embedded_app.cc with a
# plain compiler line from pkg-config, once against libtaskcore.so and once
# against libtaskcore.a (pkg-config --static). Also checks that the version
# file accepts 0.1 and refuses 0.2 and 1.0.
#   scripts/check-install.sh BUILD_DIR        e.g. build/release
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 1 ] || [ ! -f "$1/CMakeCache.txt" ]; then
  echo "usage: $0 BUILD_DIR (a configured and built tree)" >&2
  exit 2
fi
build_dir="$1"
src="$PWD"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/taskcore-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

# step "what" command...: one line per step; the command's output only when
# it fails.
step() {
  local what="$1"
  shift
  if "$@" >"$tmp/step.log" 2>&1; then
    echo "check-install: ok: $what"
  else
    cat "$tmp/step.log" >&2
    echo "check-install: FAILED: $what" >&2
    exit 1
  fi
}

step "cmake --install $build_dir --prefix <tmp>/prefix" \
  cmake --install "$build_dir" --prefix "$prefix"

pc="$(find "$prefix" -name taskcore.pc -path '*/pkgconfig/*' | head -n 1)"
[ -n "$pc" ] || { echo "check-install: FAILED: no taskcore.pc installed" >&2; exit 1; }
libdir="$(dirname "$(dirname "$pc")")"
installed() {
  for f in "$@"; do
    [ -e "$prefix/$f" ] || { echo "missing: $f"; return 1; }
  done
}
step "installed headers, libtaskcore.so (versioned), libtaskcore.a, CMake and pkg-config files" \
  installed include/taskcore/taskcore.h "${libdir#"$prefix"/}/libtaskcore.so" \
  "${libdir#"$prefix"/}/libtaskcore.so.0" "${libdir#"$prefix"/}/libtaskcore.a" \
  "${libdir#"$prefix"/}/cmake/taskcore/taskcoreConfig.cmake" \
  "${libdir#"$prefix"/}/cmake/taskcore/taskcoreConfigVersion.cmake"

# The version file: 0.x releases are compatible within a minor version.
mkdir -p "$tmp/version"
cat >"$tmp/version/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(taskcore_version_check LANGUAGES CXX)
find_package(taskcore ${WANTED} CONFIG PATHS ${TASKCORE_PREFIX} NO_DEFAULT_PATH)
if(NOT taskcore_FOUND)
  message(FATAL_ERROR "find_package(taskcore ${WANTED}) refused")
endif()
EOF
version_check() {
  rm -rf "$tmp/version/build"
  cmake -S "$tmp/version" -B "$tmp/version/build" "${generator[@]}" \
    -DWANTED="$1" -DTASKCORE_PREFIX="$prefix"
}
# Refused for its version, not for anything else going wrong.
refused() {
  local out
  if out="$(version_check "$1" 2>&1)"; then
    echo "$out"
    return 1
  fi
  grep -q 'compatible with requested version' <<<"$out" || { echo "$out"; return 1; }
}
step "find_package(taskcore 0.1) accepts" version_check 0.1
step "find_package(taskcore 0.2) refuses" refused 0.2
step "find_package(taskcore 1.0) refuses" refused 1.0

run_example() {
  local binary="$1"
  shift
  rm -rf "$tmp/run" && mkdir "$tmp/run"
  env "$@" "$binary" "$tmp/run/app.db"
}
needs_shared() { readelf -d "$1" | grep -q 'NEEDED.*libtaskcore\.so\.0'; }
no_shared() { ! readelf -d "$1" | grep -q 'NEEDED.*libtaskcore'; }

build_examples() {
  cmake -S "$src/examples" -B "$tmp/examples" "${generator[@]}" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
    nice cmake --build "$tmp/examples"
}
step "examples/ as its own CMake project: configure (find_package) and build" build_examples
step "  ... links libtaskcore.so.0" needs_shared "$tmp/examples/taskcore_embedded_app"
step "  ... runs (LD_LIBRARY_PATH=<prefix>/lib)" \
  run_example "$tmp/examples/taskcore_embedded_app" LD_LIBRARY_PATH="$libdir"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
read -r -a cflags <<<"$(pkg-config --cflags taskcore)"
read -r -a libs <<<"$(pkg-config --libs taskcore)"
step "c++ -std=c++20 embedded_app.cc \$(pkg-config --cflags --libs taskcore)" \
  nice c++ -std=c++20 -O1 "$src/examples/embedded_app.cc" -o "$tmp/app-shared" \
  "${cflags[@]}" "${libs[@]}"
step "  ... links libtaskcore.so.0" needs_shared "$tmp/app-shared"
step "  ... runs" run_example "$tmp/app-shared" LD_LIBRARY_PATH="$libdir"

# --static lists libtaskcore's own dependencies; -Bstatic makes -ltaskcore
# pick the archive while they stay shared.
static_libs=()
read -r -a words <<<"$(pkg-config --static --libs taskcore)"
for word in "${words[@]}"; do
  if [ "$word" = -ltaskcore ]; then
    static_libs+=("-Wl,-Bstatic" -ltaskcore "-Wl,-Bdynamic")
  else
    static_libs+=("$word")
  fi
done
step "c++ -std=c++20 embedded_app.cc against libtaskcore.a (pkg-config --static --libs)" \
  nice c++ -std=c++20 -O1 "$src/examples/embedded_app.cc" -o "$tmp/app-static" \
  "${cflags[@]}" "${static_libs[@]}"
step "  ... needs no libtaskcore.so" no_shared "$tmp/app-static"
step "  ... runs (no LD_LIBRARY_PATH)" run_example "$tmp/app-static" -u LD_LIBRARY_PATH

echo "check-install: all passed"

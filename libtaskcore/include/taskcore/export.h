#pragma once

// Symbols of libtaskcore are hidden by default (-fvisibility=hidden); the
// public API is marked. One compilation makes both libtaskcore.so and
// libtaskcore.a, so the mark cannot differ between them, and on ELF it need
// not: the same attribute serves building the library, linking the shared
// one and linking the static one. (A program that links libtaskcore.a into a
// shared object of its own exports the API from it too, unless it links
// with -Wl,--exclude-libs,libtaskcore.a.)
#if defined(__GNUC__) || defined(__clang__)
#define TASKCORE_EXPORT __attribute__((visibility("default")))
#else
#define TASKCORE_EXPORT
#endif

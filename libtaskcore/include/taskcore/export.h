#pragma once

// Symbols of libtaskcore are hidden by default; the public API is marked.
#if defined(TASKCORE_STATIC_DEFINE)
#define TASKCORE_EXPORT
#elif defined(TASKCORE_BUILDING)
#define TASKCORE_EXPORT __attribute__((visibility("default")))
#else
#define TASKCORE_EXPORT __attribute__((visibility("default")))
#endif

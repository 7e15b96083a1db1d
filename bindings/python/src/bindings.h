#pragma once

#include <memory>

#include <pybind11/pybind11.h>

#include "core_handle.h"

namespace taskcore::python {

using CoreClass = py::class_<CoreHandle, std::shared_ptr<CoreHandle>>;

// Each adds the methods of one area to the native Core class; the
// Pythonic API (taskcore/_database.py) is built on them.
void bind_users(CoreClass& core);
void bind_tasks(CoreClass& core);
void bind_content(CoreClass& core);  // media, posts, the audit log
void bind_realtime(py::module_& module, CoreClass& core);
void bind_operations(CoreClass& core);  // system stats, retention, cleanup

}  // namespace taskcore::python

#pragma once

// Python keyword fields as core inputs. A key that is absent stays absent,
// None is an explicit null, and a value of the wrong Python type becomes a
// field error the core reports with its own (as the HTTP adapter does for
// JSON), so every message is worded in one place.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // in every unit: pybind11 requires one view of the STL casters

#include "taskcore/taskcore.h"

namespace taskcore::python {

namespace py = pybind11;

TaskInput task_input_from(py::dict fields);
PostInput post_input_from(py::dict fields);
UserUpdateInput user_update_from(py::dict fields);
NewUserInput new_user_from(const std::string& username, const std::string& email,
                           const std::string& password, const std::string& role);
BulkUpdateInput bulk_update_from(py::handle task_ids, py::dict updates);
BulkDeleteInput bulk_delete_from(py::handle task_ids);
// (path, original filename) pairs.
std::vector<UploadedFile> uploads_from(py::handle files);

}  // namespace taskcore::python

#pragma once

// The one native object a Python Database owns: a Core that calls may share
// while another thread closes it.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // in every unit: pybind11 requires one view of the STL casters

#include "taskcore/taskcore.h"

namespace taskcore::python {

namespace py = pybind11;

struct OpenOptions {
  std::string location;
  std::optional<std::string> media_directory;
  bool fast_passwords = false;
  bool registration_enabled = true;
  std::string signing_key;
  int pool_size = 0;
};

class CoreHandle {
 public:
  // Opens the store and the Core with the GIL released (migrations and
  // key reads may take a while, and other Python threads keep running).
  explicit CoreHandle(const OpenOptions& options);
  ~CoreHandle();

  // The open Core, shared with the caller for the length of one call so a
  // concurrent close() cannot pull it away mid-call. Throws
  // Error(kServiceUnavailable) once closed.
  std::shared_ptr<Core> core() const;
  // Releases this handle's Core; it is destroyed when the last call or
  // subscription using it ends. Idempotent.
  void close();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<Core> core_;
};

// Runs `work` without the GIL: every database and file operation goes
// through here, so other Python threads run meanwhile. `work` must not touch
// Python objects.
template <class Work>
auto without_gil(Work&& work) {
  py::gil_scoped_release release;
  return std::forward<Work>(work)();
}

// The caller of an operation: any object with `user_id`, `role` (a role
// name) and `session_id`, as taskcore.Actor.
Principal principal_from(py::handle actor);
std::optional<Principal> optional_principal_from(py::handle actor);

// [(name, value), ...] in the order given, as a query string would carry
// them; the core's parse_*_query functions read them.
QueryParams query_params_from(py::handle pairs);

}  // namespace taskcore::python

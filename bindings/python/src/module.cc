// The native half of the Python package: `taskcore._core`. It maps Python
// values to the core's inputs and back and releases the GIL around every
// core call; every rule stays in libtaskcore.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "to_python.h"

namespace taskcore::python {
namespace {

py::object details_to_python(const ErrorDetails& details) {
  py::dict out;
  for (const auto& [key, value] : details)
    std::visit([&](const auto& v) { out[py::str(key)] = py::cast(v); }, value);
  return out;
}

// Raises the taskcore.Error subclass of `error.code()` (taskcore/_errors.py
// owns the hierarchy, so Python users can subclass and catch it).
void raise_python_error(const Error& error) {
  py::dict field_errors;
  for (const auto& [field, messages] : error.field_errors())
    field_errors[py::str(field)] = py::cast(messages);
  py::object exception = py::module_::import("taskcore._errors")
                             .attr("from_core")(std::string(error_code_name(error.code())),
                                                std::string(error.what()), field_errors,
                                                details_to_python(error.details()));
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
}

}  // namespace
}  // namespace taskcore::python

PYBIND11_MODULE(_core, module) {
  using namespace taskcore;
  using namespace taskcore::python;
  module.doc() = "Native bindings of libtaskcore; use the `taskcore` package instead.";
  init_datetime();

  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const Error& error) {
      raise_python_error(error);
    }
  });

  CoreClass core(module, "Core");
  core.def(py::init([](std::string location, std::optional<std::string> media_directory,
                       bool fast_passwords, bool registration_enabled,
                       std::string signing_key, int pool_size) {
             return std::make_shared<CoreHandle>(OpenOptions{
                 std::move(location), std::move(media_directory), fast_passwords,
                 registration_enabled, std::move(signing_key), pool_size});
           }),
           py::arg("location"), py::arg("media_directory") = py::none(),
           py::arg("fast_passwords") = false, py::arg("registration_enabled") = true,
           py::arg("signing_key") = "", py::arg("pool_size") = 0)
      .def("close", &CoreHandle::close)
      .def_property_readonly("closed", &CoreHandle::closed);
  bind_users(core);
  bind_tasks(core);
  bind_content(core);
  bind_operations(core);
  bind_realtime(module, core);
}

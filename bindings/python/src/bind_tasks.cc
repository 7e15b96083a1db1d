// Tasks: CRUD, the filtered list, bulk changes.

#include <pybind11/stl.h>

#include "bindings.h"
#include "from_python.h"
#include "to_python.h"

namespace taskcore::python {

void bind_tasks(CoreClass& core) {
  core.def("create_task",
           [](CoreHandle& self, py::handle actor, py::dict fields) {
             const Principal principal = principal_from(actor);
             const TaskInput input = task_input_from(fields);
             auto c = self.core();
             return to_python(without_gil([&] { return c->tasks().create(principal, input); }));
           })
      .def("create_tasks",
           [](CoreHandle& self, py::handle actor, py::list rows) {
             const Principal principal = principal_from(actor);
             std::vector<TaskInput> inputs;
             inputs.reserve(rows.size());
             for (py::handle row : rows) inputs.push_back(task_input_from(row.cast<py::dict>()));
             auto c = self.core();
             return list_to_python(
                 without_gil([&] { return c->tasks().create_many(principal, inputs); }));
           })
      .def("get_task",
           [](CoreHandle& self, py::handle actor, std::int64_t id) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             return to_python(without_gil([&] { return c->tasks().get(principal, id); }));
           })
      .def("update_task",
           [](CoreHandle& self, py::handle actor, std::int64_t id, py::dict fields,
              bool partial) {
             const Principal principal = principal_from(actor);
             const TaskInput input = task_input_from(fields);
             const WriteMode mode = partial ? WriteMode::kPartial : WriteMode::kReplace;
             auto c = self.core();
             return to_python(
                 without_gil([&] { return c->tasks().update(principal, id, input, mode); }));
           })
      .def("delete_task",
           [](CoreHandle& self, py::handle actor, std::int64_t id) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             without_gil([&] { c->tasks().remove(principal, id); });
           })
      .def("list_tasks",
           [](CoreHandle& self, py::handle actor, py::handle params) {
             const Principal principal = principal_from(actor);
             const TaskListQuery query = parse_task_list_query(query_params_from(params));
             auto c = self.core();
             return page_to_python(without_gil(
                 [&] { return c->tasks().list(principal, query.filter, query.page); }));
           })
      .def("bulk_update",
           [](CoreHandle& self, py::handle actor, py::handle task_ids, py::dict updates) {
             const Principal principal = principal_from(actor);
             const BulkUpdateInput input = bulk_update_from(task_ids, updates);
             auto c = self.core();
             return to_python(
                 without_gil([&] { return c->tasks().bulk_update(principal, input); }));
           })
      .def("bulk_delete", [](CoreHandle& self, py::handle actor, py::handle task_ids) {
        const Principal principal = principal_from(actor);
        const BulkDeleteInput input = bulk_delete_from(task_ids);
        auto c = self.core();
        return to_python(without_gil([&] { return c->tasks().bulk_delete(principal, input); }));
      });
}

}  // namespace taskcore::python

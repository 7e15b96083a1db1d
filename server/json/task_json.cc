#include "json/task_json.h"

#include "json/filters_applied.h"
#include "taskcore/time.h"

namespace taskcore::server {
namespace {

Json optional_date(const std::optional<Date>& date) {
  return date ? Json(format_date(*date)) : Json(nullptr);
}

}  // namespace

void write_task(JsonWriter& out, const Task& task) {
  out.begin_object()
      .key("id").number(task.id)
      .key("title").string(task.title)
      .key("description").string(task.description)
      .key("status").string(status_name(task.status))
      .key("priority").string(priority_name(task.priority))
      .key("category").optional_string(task.category)
      .key("project").optional_string(task.project)
      .key("due_date").optional(task.due_date, [](JsonWriter& w, Date d) {
        w.string(format_date(d));
      })
      .key("assigned_to").optional_number(task.assigned_to)
      .key("created_by").optional_number(task.created_by)
      .key("created_at").string(format_timestamp(task.created_at))
      .key("updated_at").string(format_timestamp(task.updated_at))
      .end_object();
}

std::string task_json_text(const Task& task) {
  JsonWriter out(512 + task.description.size());
  write_task(out, task);
  return out.take();
}

TaskInput task_input_from_json(const Json& body) {
  TaskInput input;
  read_nullable_string(body, "title", input.title, input.decode_errors);
  read_nullable_string(body, "description", input.description, input.decode_errors);
  read_nullable_string(body, "status", input.status, input.decode_errors);
  read_nullable_string(body, "priority", input.priority, input.decode_errors);
  read_nullable_string(body, "category", input.category, input.decode_errors);
  read_nullable_string(body, "project", input.project, input.decode_errors);
  read_nullable_string(body, "due_date", input.due_date, input.decode_errors);
  read_nullable_id(body, "assigned_to", input.assigned_to, input.decode_errors);
  return input;
}

Json task_filters_applied(const TaskFilter& filter) {
  Json applied = Json::object();
  if (!filter.categories.empty()) applied["categories"] = filter.categories;
  if (!filter.projects.empty()) applied["projects"] = filter.projects;
  if (!filter.statuses.empty()) {
    Json names = Json::array();
    for (const auto s : filter.statuses) names.push_back(std::string(status_name(s)));
    applied["status"] = std::move(names);
  }
  if (!filter.priorities.empty()) {
    Json names = Json::array();
    for (const auto p : filter.priorities) names.push_back(std::string(priority_name(p)));
    applied["priority"] = std::move(names);
  }
  if (!filter.assigned_to.empty()) applied["assigned_to"] = filter.assigned_to;
  if (!filter.created_by.empty()) applied["created_by"] = filter.created_by;
  if (filter.due_date_start || filter.due_date_end) {
    applied["date_range"] = {{"start", optional_date(filter.due_date_start)},
                             {"end", optional_date(filter.due_date_end)}};
  }
  if (filter.search) applied["search"] = *filter.search;
  add_ordering_applied(applied, filter.ordering, ordering_term_name);
  return applied;
}

}  // namespace taskcore::server

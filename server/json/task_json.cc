#include "json/task_json.h"

#include "taskcore/time.h"

namespace taskcore::server {
namespace {

template <class T>
Json optional_json(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json optional_date(const std::optional<Date>& date) {
  return date ? Json(format_date(*date)) : Json(nullptr);
}

}  // namespace

Json task_to_json(const Task& task) {
  return Json{
      {"id", task.id},
      {"title", task.title},
      {"description", task.description},
      {"status", std::string(status_name(task.status))},
      {"priority", std::string(priority_name(task.priority))},
      {"category", optional_json(task.category)},
      {"project", optional_json(task.project)},
      {"due_date", optional_date(task.due_date)},
      {"assigned_to", optional_json(task.assigned_to)},
      {"created_by", optional_json(task.created_by)},
      {"created_at", format_timestamp(task.created_at)},
      {"updated_at", format_timestamp(task.updated_at)},
  };
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
  if (const auto it = body.find("assigned_to"); it != body.end()) {
    // DRF's related fields read "" as null (forms send it for "nobody").
    if (it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
      input.assigned_to = std::optional<std::int64_t>{};
    } else if (auto id = decode_int64(*it, "assigned_to", input.decode_errors)) {
      input.assigned_to = *id;
    }
  }
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
  if (!filter.ordering.empty()) {
    std::string text;
    for (const auto& term : filter.ordering) {
      if (!text.empty()) text += ',';
      text += ordering_term_name(term);
    }
    applied["ordering"] = std::move(text);
  }
  return applied;
}

}  // namespace taskcore::server

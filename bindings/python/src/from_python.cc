#include "from_python.h"

namespace taskcore::python {
namespace {

constexpr const char* kNotAString = "Not a valid string.";
constexpr const char* kNotAnInteger = "A valid integer is required.";
constexpr const char* kNotABoolean = "Must be a valid boolean.";

bool is_integer(py::handle value) {
  return py::isinstance<py::int_>(value) && !py::isinstance<py::bool_>(value);
}

void read_string(py::dict fields, const char* name, Nullable<std::string>& out,
                 FieldErrors& errors) {
  if (!fields.contains(name)) return;
  py::handle value = fields[name];
  if (value.is_none()) {
    out = std::optional<std::string>();
  } else if (py::isinstance<py::str>(value)) {
    out = std::optional<std::string>(value.cast<std::string>());
  } else {
    errors[name].push_back(kNotAString);
  }
}

void read_id(py::dict fields, const char* name, Nullable<std::int64_t>& out,
             FieldErrors& errors) {
  if (!fields.contains(name)) return;
  py::handle value = fields[name];
  if (value.is_none()) {
    out = std::optional<std::int64_t>();
  } else if (is_integer(value)) {
    out = std::optional<std::int64_t>(value.cast<std::int64_t>());
  } else {
    errors[name].push_back(kNotAnInteger);
  }
}

std::vector<std::int64_t> read_ids(py::handle values, const std::string& field,
                                   FieldErrors& errors) {
  std::vector<std::int64_t> ids;
  if (py::isinstance<py::str>(values) || !py::isinstance<py::iterable>(values)) {
    errors[field].push_back("Expected a list of items.");
    return ids;
  }
  for (py::handle value : values) {
    if (!is_integer(value)) {
      errors[field].push_back(kNotAnInteger);
      return ids;
    }
    ids.push_back(value.cast<std::int64_t>());
  }
  return ids;
}

}  // namespace

TaskInput task_input_from(py::dict fields) {
  TaskInput input;
  read_string(fields, "title", input.title, input.decode_errors);
  read_string(fields, "description", input.description, input.decode_errors);
  read_string(fields, "status", input.status, input.decode_errors);
  read_string(fields, "priority", input.priority, input.decode_errors);
  read_string(fields, "category", input.category, input.decode_errors);
  read_string(fields, "project", input.project, input.decode_errors);
  read_string(fields, "due_date", input.due_date, input.decode_errors);
  read_id(fields, "assigned_to", input.assigned_to, input.decode_errors);
  return input;
}

PostInput post_input_from(py::dict fields) {
  PostInput input;
  read_string(fields, "title", input.title, input.decode_errors);
  read_string(fields, "body", input.body, input.decode_errors);
  read_string(fields, "status", input.status, input.decode_errors);
  read_id(fields, "cover_media", input.cover_media, input.decode_errors);
  if (fields.contains("media_ids")) {
    py::handle value = fields["media_ids"];
    if (value.is_none()) {
      input.media_ids = std::optional<std::vector<std::int64_t>>();
    } else {
      input.media_ids = std::optional<std::vector<std::int64_t>>(
          read_ids(value, "media_ids", input.decode_errors));
    }
  }
  return input;
}

UserUpdateInput user_update_from(py::dict fields) {
  UserUpdateInput input;
  if (fields.contains("email")) {
    py::handle value = fields["email"];
    if (py::isinstance<py::str>(value)) input.email = value.cast<std::string>();
    else input.decode_errors["email"].push_back(kNotAString);
  }
  if (fields.contains("role")) {
    py::handle value = fields["role"];
    if (py::isinstance<py::str>(value)) input.role = value.cast<std::string>();
    else input.decode_errors["role"].push_back(kNotAString);
  }
  if (fields.contains("is_active")) {
    py::handle value = fields["is_active"];
    if (py::isinstance<py::bool_>(value)) input.is_active = value.cast<bool>();
    else input.decode_errors["is_active"].push_back(kNotABoolean);
  }
  return input;
}

NewUserInput new_user_from(const std::string& username, const std::string& email,
                           const std::string& password, const std::string& role) {
  NewUserInput input{username, email, password, Role::kMember, {}};
  if (const auto parsed = parse_role(role)) {
    input.role = *parsed;
  } else {
    input.decode_errors["role"].push_back("\"" + role + "\" is not a valid choice.");
  }
  return input;
}

BulkUpdateInput bulk_update_from(py::handle task_ids, py::dict updates) {
  BulkUpdateInput input;
  input.task_ids = read_ids(task_ids, "task_ids", input.decode_errors);
  for (auto item : updates) input.update_keys.push_back(item.first.cast<std::string>());
  input.updates = task_input_from(updates);
  for (auto& [field, messages] : input.updates.decode_errors)
    for (auto& message : messages) input.decode_errors["updates." + field].push_back(message);
  input.updates.decode_errors.clear();
  return input;
}

BulkDeleteInput bulk_delete_from(py::handle task_ids) {
  BulkDeleteInput input;
  input.task_ids = read_ids(task_ids, "task_ids", input.decode_errors);
  return input;
}

std::vector<UploadedFile> uploads_from(py::handle files) {
  std::vector<UploadedFile> uploads;
  for (py::handle item : files) {
    auto pair = item.cast<py::tuple>();
    uploads.push_back({pair[0].cast<std::string>(), pair[1].cast<std::string>()});
  }
  return uploads;
}

}  // namespace taskcore::python

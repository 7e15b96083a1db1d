#include "to_python.h"

#include <datetime.h>

#include <nlohmann/json.hpp>

namespace taskcore::python {
namespace {

template <class T>
py::object optional(const std::optional<T>& value) {
  return value ? py::cast(*value) : py::none();
}

py::object optional_timestamp(const std::optional<Timestamp>& ts) {
  return ts ? timestamp_to_python(*ts) : py::none();
}

py::object steal(PyObject* object) {
  if (!object) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(object);
}

// JSON text the core stores (audit details) as Python values.
py::object json_to_python(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return py::none();
    case nlohmann::json::value_t::boolean: return py::bool_(value.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(value.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: return py::float_(value.get<double>());
    case nlohmann::json::value_t::string: return py::str(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& item : value) out.append(json_to_python(item));
      return out;
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [key, item] : value.items()) out[py::str(key)] = json_to_python(item);
      return out;
    }
    default: return py::none();
  }
}

}  // namespace

void init_datetime() {
  PyDateTime_IMPORT;
  if (!PyDateTimeAPI) throw py::error_already_set();
}

py::object to_python(Date date) {
  return steal(PyDate_FromDate(date.year, date.month, date.day));
}

py::object timestamp_to_python(Timestamp ts) {
  constexpr std::int64_t kDayMs = 86'400'000;
  std::int64_t days = ts / kDayMs;
  std::int64_t in_day = ts % kDayMs;
  if (in_day < 0) {
    in_day += kDayMs;
    --days;
  }
  const Date date = date_from_days(days);
  const int ms = static_cast<int>(in_day);
  return steal(PyDateTimeAPI->DateTime_FromDateAndTime(
      date.year, date.month, date.day, ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60,
      ms % 1000 * 1000, PyDateTime_TimeZone_UTC, PyDateTimeAPI->DateTimeType));
}

py::dict to_python(const Task& task) {
  py::dict out;
  out["id"] = task.id;
  out["title"] = task.title;
  out["description"] = task.description;
  out["status"] = std::string(status_name(task.status));
  out["priority"] = std::string(priority_name(task.priority));
  out["category"] = optional(task.category);
  out["project"] = optional(task.project);
  out["due_date"] = task.due_date ? to_python(*task.due_date) : py::none();
  out["assigned_to"] = optional(task.assigned_to);
  out["created_by"] = optional(task.created_by);
  out["created_at"] = timestamp_to_python(task.created_at);
  out["updated_at"] = timestamp_to_python(task.updated_at);
  return out;
}

py::dict to_python(const User& user) {
  py::dict out;
  out["id"] = user.id;
  out["username"] = user.username;
  out["email"] = user.email;
  out["role"] = std::string(role_name(user.role));
  out["is_active"] = user.is_active;
  out["date_joined"] = timestamp_to_python(user.date_joined);
  out["last_login"] = optional_timestamp(user.last_login);
  return out;
}

py::dict to_python(const MediaFile& file) {
  py::dict out;
  out["id"] = file.id;
  out["filename"] = file.filename;
  out["original_filename"] = file.original_filename;
  out["file_type"] = std::string(media_type_name(file.file_type));
  out["file_size"] = file.file_size;
  out["upload_date"] = timestamp_to_python(file.upload_date);
  out["uploaded_by"] = optional(file.uploaded_by);
  out["thumbnail_filename"] = optional(file.thumbnail_filename);
  out["width"] = optional(file.width);
  out["height"] = optional(file.height);
  return out;
}

py::dict to_python(const Post& post) {
  py::dict out;
  out["id"] = post.id;
  out["title"] = post.title;
  out["slug"] = post.slug;
  out["body"] = post.body;
  out["status"] = std::string(post_status_name(post.status));
  out["author"] = optional(post.author);
  out["cover_media"] = optional(post.cover_media);
  out["media_ids"] = py::cast(post.media_ids);
  out["created_at"] = timestamp_to_python(post.created_at);
  out["updated_at"] = timestamp_to_python(post.updated_at);
  out["published_at"] = optional_timestamp(post.published_at);
  return out;
}

py::dict to_python(const AuditEntry& entry) {
  py::dict out;
  out["id"] = entry.id;
  out["timestamp"] = timestamp_to_python(entry.timestamp);
  out["actor_id"] = optional(entry.actor_id);
  out["action"] = entry.action;
  out["target_type"] = entry.target_type;
  out["target_id"] = optional(entry.target_id);
  out["details"] =
      json_to_python(nlohmann::json::parse(entry.details_json, nullptr, false));
  out["ip"] = entry.ip;
  out["request_id"] = entry.request_id;
  return out;
}

py::dict to_python(const BulkResult& result) {
  py::list failures;
  for (const BulkFailure& failure : result.failures) {
    py::dict item;
    item["task_id"] = failure.task_id;
    item["code"] = std::string(error_code_name(failure.code));
    item["message"] = failure.message;
    failures.append(std::move(item));
  }
  py::dict out;
  out["succeeded"] = result.succeeded;
  out["failures"] = std::move(failures);
  return out;
}

py::dict to_python(const TokenPair& tokens) {
  py::dict out;
  out["access"] = tokens.access;
  out["refresh"] = tokens.refresh;
  out["expires_in"] = tokens.expires_in;
  return out;
}

py::dict to_python(const RealtimeEvent& event) {
  py::dict out;
  out["type"] = std::string(realtime_event_name(event.type));
  out["sequence"] = event.sequence;
  out["room"] = event.room;
  out["at"] = timestamp_to_python(event.at);
  out["task_id"] = event.task_id;
  out["task"] = event.task ? py::object(to_python(*event.task)) : py::none();
  out["actor_id"] = event.actor_id;
  out["user_id"] = event.user_id;
  if (event.notification) {
    py::dict note;
    note["type"] = event.notification->type;
    note["message"] = event.notification->message;
    note["task_id"] = event.notification->task_id;
    out["notification"] = std::move(note);
  } else {
    out["notification"] = py::none();
  }
  return out;
}

py::dict to_python(const RealtimeBatch& batch) {
  py::dict out;
  out["cursor"] = batch.cursor;
  out["events"] = list_to_python(batch.events);
  return out;
}

py::dict to_python(const Principal& principal) {
  py::dict out;
  out["user_id"] = principal.user_id;
  out["role"] = std::string(role_name(principal.role));
  out["session_id"] = principal.session_id;
  return out;
}

py::object stats_measurement(StatsField field, const std::optional<double>& value) {
  if (!value) return py::none();
  if (stats_field_is_integer(field)) return py::int_(static_cast<std::int64_t>(*value));
  return py::float_(*value);
}

py::dict to_python(const SystemSample& sample) {
  py::dict out;
  out["id"] = sample.id;
  out["timestamp"] = timestamp_to_python(sample.timestamp);
  out["hostname"] = sample.hostname;
  for (StatsField field : kStatsFields)
    out[py::str(std::string(stats_field_name(field)))] =
        stats_measurement(field, stats_field_value(sample, field));
  return out;
}

}  // namespace taskcore::python

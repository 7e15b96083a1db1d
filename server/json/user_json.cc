#include "json/user_json.h"

#include "taskcore/time.h"

namespace taskcore::server {
namespace {

Json optional_date(const std::optional<Date>& date) {
  return date ? Json(format_date(*date)) : Json(nullptr);
}

}  // namespace

Json user_to_json(const User& user) {
  return Json{
      {"id", user.id},
      {"username", user.username},
      {"email", user.email},
      {"role", std::string(role_name(user.role))},
      {"is_active", user.is_active},
      {"date_joined", format_timestamp(user.date_joined)},
      {"last_login",
       user.last_login ? Json(format_timestamp(*user.last_login)) : Json(nullptr)},
  };
}

NewUserInput new_user_input_from_json(const Json& body) {
  NewUserInput input;
  FieldErrors errors;
  const auto read = [&](const char* field, std::string& out) {
    const auto it = body.find(field);
    if (it == body.end()) return;
    if (it->is_null()) {
      errors[field].push_back(kMayNotBeNull);
      return;
    }
    if (auto text = decode_string(*it, field, errors)) out = std::move(*text);
  };
  read("username", input.username);
  read("email", input.email);
  read("password", input.password);
  input.decode_errors = std::move(errors);
  return input;
}

UserUpdateInput user_update_from_json(const Json& body) {
  UserUpdateInput input;
  FieldErrors errors;
  const auto present = [&](const char* field) -> const Json* {
    const auto it = body.find(field);
    if (it == body.end()) return nullptr;
    if (it->is_null()) {
      errors[field].push_back(kMayNotBeNull);
      return nullptr;
    }
    return &*it;
  };
  if (const Json* v = present("email")) input.email = decode_string(*v, "email", errors);
  if (const Json* v = present("role")) input.role = decode_string(*v, "role", errors);
  if (const Json* v = present("is_active"))
    input.is_active = decode_bool(*v, "is_active", errors);
  input.decode_errors = std::move(errors);
  return input;
}

Json user_filters_applied(const UserFilter& filter) {
  Json applied = Json::object();
  if (filter.is_active) applied["is_active"] = *filter.is_active;
  if (!filter.roles.empty()) {
    Json roles = Json::array();
    for (const Role role : filter.roles) roles.push_back(std::string(role_name(role)));
    applied["role"] = std::move(roles);
  }
  if (filter.registered_from || filter.registered_to) {
    applied["date_range"] = {{"start", optional_date(filter.registered_from)},
                             {"end", optional_date(filter.registered_to)}};
  }
  if (filter.search) applied["search"] = *filter.search;
  return applied;
}

}  // namespace taskcore::server

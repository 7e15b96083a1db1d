#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/query_params.h"
#include "taskcore/time.h"

namespace taskcore {

// Ordered by power: every role may do what the roles before it may.
enum class Role { kViewer = 0, kMember = 1, kManager = 2, kAdmin = 3 };

TASKCORE_EXPORT std::string_view role_name(Role role);
TASKCORE_EXPORT std::optional<Role> parse_role(std::string_view name);

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string email;
  Role role = Role::kMember;
  bool is_active = true;
  Timestamp date_joined = 0;
  std::optional<Timestamp> last_login;
};

// A user as the store keeps it, with its password hash (argon2id, libsodium
// string format). Never leaves the core.
struct UserCredentials {
  User user;
  std::string password_hash;
};

// Where a call came from, recorded in the audit entries it writes. Empty
// for calls that do not come over the network.
struct Origin {
  std::string ip;
  std::string request_id;
};

// The authenticated caller of a core operation.
struct Principal {
  std::int64_t user_id = 0;
  Role role = Role::kViewer;
  std::string session_id;  // empty for callers that did not log in
  Origin origin;
};

// Input of registration and of admin user creation; validated by the core.
// An adapter records fields it could not decode (a JSON number for the
// username, say) in `decode_errors`; the core reports them with its own.
struct NewUserInput {
  std::string username;
  std::string email;
  std::string password;
  Role role = Role::kMember;
  FieldErrors decode_errors;
};

// Admin changes of a user (PUT /api/admin/users/{id}/); absent = unchanged.
struct UserUpdateInput {
  std::optional<std::string> email;
  std::optional<std::string> role;  // raw role name, validated by the core
  std::optional<bool> is_active;
  FieldErrors decode_errors;
};

// Filters of the admin user list.
struct UserFilter {
  std::optional<bool> is_active;
  std::vector<Role> roles;
  std::optional<Date> registered_from;  // inclusive, by date_joined (UTC day)
  std::optional<Date> registered_to;    // inclusive
  std::optional<std::string> search;    // substring of username or email
};

// Reads is_active, role (multi), registration_date_start/_end and search.
// Throws validation_error naming each bad parameter.
TASKCORE_EXPORT UserFilter parse_user_filter(const QueryParams& params);

struct UserListQuery {
  UserFilter filter;
  PageRequest page;
};
// parse_user_filter and parse_page_request, every bad parameter of both in
// one validation_error.
TASKCORE_EXPORT UserListQuery parse_user_list_query(const QueryParams& params);

}  // namespace taskcore

#pragma once

#include "json/body.h"
#include "taskcore/user.h"

namespace taskcore::server {

// {id, username, email, role, is_active, date_joined, last_login}.
Json user_to_json(const User& user);

// Register body {username, email, password}; role and unknown fields are
// ignored. Wrong JSON types and nulls go to decode_errors; absent fields
// reach the core as empty text.
NewUserInput new_user_input_from_json(const Json& body);

// Admin PUT body: any of {email, role, is_active}. Type errors and nulls go
// to decode_errors.
UserUpdateInput user_update_from_json(const Json& body);

// The admin list's filters_applied: only the filters given, keys
// is_active, role (list), date_range {start, end}, search.
Json user_filters_applied(const UserFilter& filter);

}  // namespace taskcore::server

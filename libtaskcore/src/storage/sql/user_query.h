#pragma once

#include <string>
#include <string_view>

#include "storage/sql/dialect.h"
#include "taskcore/pagination.h"
#include "taskcore/user.h"

namespace taskcore::sql {

// The admin user list as SQL over table `users` (role as its name text,
// date_joined in ms), ordered by id ascending.
PagedSelect build_user_select(const UserFilter& filter, Dialect dialect,
                              std::string_view columns,
                              const PageRequest& page);

// `text` as a LIKE pattern matching it as a substring: `%`, `_` and the
// escape character `\` are escaped (use with ESCAPE '\').
std::string like_substring_pattern(std::string_view text);

}  // namespace taskcore::sql

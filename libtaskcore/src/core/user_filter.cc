#include "core/filter_params.h"
#include "taskcore/error.h"
#include "taskcore/user.h"
#include "util/text.h"

namespace taskcore {

UserFilter parse_user_filter(const QueryParams& params) {
  FieldErrorCollector errors;
  UserFilter filter;

  if (const std::string* raw = params.last("is_active")) {
    const std::string value = util::ascii_lower(util::trim(*raw));
    if (value == "true" || value == "1") filter.is_active = true;
    else if (value == "false" || value == "0") filter.is_active = false;
    else if (!value.empty()) errors.add("is_active", "Must be true or false.");
  }

  filter.roles = read_choices<Role>(params, "role", parse_role, errors);
  const DateRange registered = read_date_range(params, "registration_date_start",
                                               "registration_date_end", errors);
  filter.registered_from = registered.start;
  filter.registered_to = registered.end;
  filter.search = read_search(params, errors);

  errors.throw_if_any("Invalid filter.");
  return filter;
}

}  // namespace taskcore

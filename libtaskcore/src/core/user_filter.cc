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

  for (const auto& value : params.multi("role")) {
    if (auto role = parse_role(value)) {
      filter.roles.push_back(*role);
    } else {
      const std::string shown =
          util::is_valid_utf8(value) ? value : std::string("(invalid text)");
      errors.add("role", "Select a valid choice. " + shown +
                             " is not one of the available choices.");
    }
  }

  auto read_date = [&](const char* name) -> std::optional<Date> {
    const std::string* raw = params.last(name);
    if (raw == nullptr || util::trim(*raw).empty()) return std::nullopt;
    auto date = parse_date(util::trim(*raw));
    if (!date) errors.add(name, "Enter a valid date in the form YYYY-MM-DD.");
    return date;
  };
  filter.registered_from = read_date("registration_date_start");
  filter.registered_to = read_date("registration_date_end");
  if (filter.registered_from && filter.registered_to &&
      *filter.registered_from > *filter.registered_to) {
    const std::string message =
        "registration_date_start must not be after registration_date_end.";
    errors.add("registration_date_start", message);
    errors.add("registration_date_end", message);
  }

  if (const std::string* raw = params.last("search")) {
    if (!util::is_valid_utf8(*raw)) {
      errors.add("search", "Invalid UTF-8 text.");
    } else if (auto text = util::trim(*raw); !text.empty()) {
      if (util::utf8_length(text) > 200)
        errors.add("search", "Ensure this value has at most 200 characters.");
      else
        filter.search = std::string(text);
    }
  }

  errors.throw_if_any("Invalid filter.");
  return filter;
}

}  // namespace taskcore

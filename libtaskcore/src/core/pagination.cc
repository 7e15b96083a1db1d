#include "taskcore/pagination.h"

#include <algorithm>

#include "taskcore/error.h"
#include "util/text.h"

namespace taskcore {
namespace {

std::int64_t read_positive(const QueryParams& params, const char* name,
                           std::int64_t fallback, FieldErrorCollector& errors) {
  const std::string* raw = params.last(name);
  // An empty value counts as absent, as in DRF (`?page=` is page 1).
  if (raw == nullptr || util::trim(*raw).empty()) return fallback;
  const auto value = util::parse_int64(util::trim(*raw));
  if (!value) {
    errors.add(name, "A valid integer is required.");
    return fallback;
  }
  if (*value < 1) {
    errors.add(name, "Ensure this value is greater than or equal to 1.");
    return fallback;
  }
  return *value;
}

}  // namespace

PageRequest parse_page_request(const QueryParams& params) {
  FieldErrorCollector errors;
  PageRequest request;
  request.page = read_positive(params, "page", 1, errors);
  request.page_size = std::min(
      read_positive(params, "page_size", kDefaultPageSize, errors), kMaxPageSize);
  errors.throw_if_any();
  // Keep offset() far from overflow; such a page is past the end anyway.
  request.page = std::min<std::int64_t>(request.page, INT64_MAX / kMaxPageSize);
  return request;
}

void check_page_in_range(const PageRequest& request, std::int64_t count) {
  if (request.page > 1 && request.offset() >= count)
    throw Error::not_found("Invalid page.");
}

}  // namespace taskcore

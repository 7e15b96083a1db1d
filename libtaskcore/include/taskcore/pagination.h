#pragma once

#include <cstdint>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/query_params.h"

namespace taskcore {

inline constexpr std::int64_t kDefaultPageSize = 20;
inline constexpr std::int64_t kMaxPageSize = 100;

struct PageRequest {
  std::int64_t page = 1;  // 1-based
  std::int64_t page_size = kDefaultPageSize;

  std::int64_t offset() const { return (page - 1) * page_size; }
};

// Reads `page` and `page_size`: defaults 1 and 20, page_size clamped to 100,
// a non-integer or < 1 value is a validation_error naming the parameter.
TASKCORE_EXPORT PageRequest parse_page_request(const QueryParams& params);

template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t count = 0;  // total matching items over all pages
  PageRequest request;

  bool has_next() const {
    return request.offset() + static_cast<std::int64_t>(items.size()) < count;
  }
  bool has_previous() const { return request.page > 1; }
};

// Throws not_found ("Invalid page.") when `request` lies past the end of a
// result of `count` items; page 1 is always valid.
TASKCORE_EXPORT void check_page_in_range(const PageRequest& request,
                                         std::int64_t count);

}  // namespace taskcore

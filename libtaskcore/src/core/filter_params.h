#pragma once

// Readers of the query parameters that several list filters share, so
// every list words its errors the same way.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/query_params.h"
#include "taskcore/time.h"

namespace taskcore {

// A multi filter of whole numbers ("Enter a whole number.").
std::vector<std::int64_t> read_ids(const QueryParams& params, const std::string& name,
                                   FieldErrorCollector& errors);
// A YYYY-MM-DD date; blank = absent.
std::optional<Date> read_date(const QueryParams& params, const std::string& name,
                              FieldErrorCollector& errors);
// `search`: valid UTF-8, trimmed, at most kMaxSearchLength characters;
// blank = absent.
std::optional<std::string> read_search(const QueryParams& params,
                                       FieldErrorCollector& errors);

}  // namespace taskcore

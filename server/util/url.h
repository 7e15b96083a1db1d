#pragma once

// Query strings as DRF sees them: decoded in arrival order, and re-encoded
// the way its pagination links are (Python's urlencode of sorted keys).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "taskcore/query_params.h"

namespace taskcore::server {

using QueryItems = std::vector<std::pair<std::string, std::string>>;

// Percent-decoding with '+' as space (application/x-www-form-urlencoded).
std::string url_decode(std::string_view text);

// Python's quote_plus: unreserved bytes kept, space as '+', the rest %XX.
std::string url_encode(std::string_view text);

// "a=1&b=x+y&a=2" -> {{"a","1"},{"b","x y"},{"a","2"}}. A name without '='
// has an empty value (parse_qs with keep_blank_values).
QueryItems parse_query_string(std::string_view query);

QueryParams to_query_params(const QueryItems& items);

// The path and raw query of a request target ("/p?q" -> "/p", "q").
std::pair<std::string_view, std::string_view> split_target(
    std::string_view target);

// `base` (scheme://host/path) with the query `items`, where `name` is set to
// `value` (or removed when nullopt). Keys are sorted, values of one key keep
// their order, as DRF's replace_query_param / remove_query_param do.
std::string url_with_param(std::string_view base, const QueryItems& items,
                           std::string_view name,
                           const std::optional<std::string>& value);

}  // namespace taskcore::server

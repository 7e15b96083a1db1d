#pragma once

#include <string_view>

namespace taskcore::server {

// Whether an If-None-Match header value (a comma list of entity tags, or
// "*") names `etag`, by the weak comparison RFC 9110 asks for there.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace taskcore::server

#pragma once

// The structured access log (--access-log): one JSON object per request,
// on one line. It holds no query string, header, token or body: the path
// is cut at '?', and the caller is named by id only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "taskcore/time.h"

namespace taskcore::server {

struct AccessLogEntry {
  Timestamp time = 0;
  std::string_view request_id;
  std::string_view method;
  std::string_view route;   // the router's template, or "unmatched"
  std::string_view target;  // as sent; the query string is dropped here
  int status = 0;
  double duration_ms = 0;
  std::optional<std::int64_t> user_id;
  std::string_view ip;
};

// {"time","level","request_id","method","route","path","status",
//  "duration_ms","user_id","ip"}; level is "error" for a 5xx, else "info".
std::string access_log_line(const AccessLogEntry& entry);

}  // namespace taskcore::server

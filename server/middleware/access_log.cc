#include "middleware/access_log.h"

#include <cmath>

#include "json/body.h"
#include "util/url.h"

namespace taskcore::server {

std::string access_log_line(const AccessLogEntry& entry) {
  // Ordered: the fields read in the same order on every line.
  const nlohmann::ordered_json line = {
      {"time", format_timestamp(entry.time)},
      {"level", entry.status >= 500 ? "error" : "info"},
      {"request_id", entry.request_id},
      {"method", entry.method},
      {"route", entry.route},
      // Query strings carry search terms and, from some clients, tokens.
      {"path", split_target(entry.target).first},
      {"status", entry.status},
      {"duration_ms", std::round(entry.duration_ms * 1000.0) / 1000.0},
      {"user_id", entry.user_id ? nlohmann::ordered_json(*entry.user_id)
                                : nlohmann::ordered_json(nullptr)},
      {"ip", entry.ip}};
  // Invalid UTF-8 (a raw path may hold any bytes) is replaced, so the line
  // always parses and dump never throws.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace taskcore::server

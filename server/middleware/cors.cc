#include "middleware/cors.h"

#include <httplib.h>

#include <algorithm>

namespace taskcore::server {
namespace {

constexpr const char* kAllowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr const char* kDefaultHeaders = "Authorization, Content-Type, X-Request-ID";
// What scripts may read of a response besides the CORS-safelisted headers.
constexpr const char* kExposedHeaders = "X-Request-ID, Retry-After, Content-Disposition";

// A header list a browser may send back verbatim: token characters, commas
// and spaces only, so nothing can be injected into our response.
bool is_header_list(const std::string& value) {
  if (value.empty() || value.size() > 1024) return false;
  return std::all_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == ',' || c == ' ';
  });
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
  for (std::string& origin : origins_) {
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
  }
}

bool CorsPolicy::allowed(const std::string& origin) const {
  if (origin.empty() || origin == "null") return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

bool CorsPolicy::apply(const httplib::Request& req, httplib::Response& res) const {
  if (origins_.empty() || !req.has_header("Origin")) return false;
  const std::string origin = req.get_header_value("Origin");
  // Caches must not hand one origin's answer to another.
  res.set_header("Vary", "Origin");
  if (!allowed(origin)) return false;
  res.set_header("Access-Control-Allow-Origin", origin);
  res.set_header("Access-Control-Allow-Credentials", "true");
  if (req.method != "OPTIONS" || !req.has_header("Access-Control-Request-Method")) {
    res.set_header("Access-Control-Expose-Headers", kExposedHeaders);
    return false;
  }
  const std::string requested = req.get_header_value("Access-Control-Request-Headers");
  res.set_header("Access-Control-Allow-Methods", kAllowedMethods);
  res.set_header("Access-Control-Allow-Headers",
                 is_header_list(requested) ? requested : std::string(kDefaultHeaders));
  res.set_header("Access-Control-Max-Age", "600");
  res.status = 204;
  return true;
}

}  // namespace taskcore::server

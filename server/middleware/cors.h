#pragma once

// CORS for browser front ends served from another origin (the Socket.IO JS
// client in a browser, a SPA on its own host). Only listed origins get the
// headers, with credentials allowed, so the origin is echoed (never "*").

#include <string>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskcore::server {

class CorsPolicy {
 public:
  // Exact origins ("https://app.example.com", scheme and port included)
  // or "*" for any. Empty: CORS stays off.
  explicit CorsPolicy(std::vector<std::string> origins);

  // Adds the CORS headers when the request's Origin is allowed. Returns
  // true when the request is a preflight (OPTIONS with
  // Access-Control-Request-Method) and `res` is its complete 204 answer.
  bool apply(const httplib::Request& req, httplib::Response& res) const;

 private:
  bool allowed(const std::string& origin) const;

  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace taskcore::server

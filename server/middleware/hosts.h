#pragma once

// Which Host names the server answers to, as Django's ALLOWED_HOSTS: a
// request naming any other host is refused, so a forged Host header can
// neither be reflected into absolute links nor poison a cache.

#include <string>
#include <string_view>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskcore {
class Clock;
}

namespace taskcore::server {

class HostPolicy {
 public:
  // Patterns, compared without case and without the port: "example.com"
  // that host only, ".example.com" it and every subdomain, "*" any well
  // formed host.
  explicit HostPolicy(std::vector<std::string> patterns);

  // The default list: the bind address (unless a wildcard address),
  // localhost, 127.0.0.1 and [::1].
  static std::vector<std::string> default_patterns(const std::string& bind_host);

  // A Host value ("name[:port]") that is well formed and matches.
  bool allows(std::string_view host) const;

  // Refuses (400, contract body) a request whose host is not allowed: the
  // trusted proxy's X-Forwarded-Host when present, else Host. HTTP/1.0
  // requests may omit it. Returns false when it wrote the refusal.
  bool check(const Clock& clock, const httplib::Request& req, httplib::Response& res) const;

 private:
  std::vector<std::string> patterns_;
};

// The host part of a Host value, lowercased without port and trailing dot,
// or "" when it is not a valid host (Django's split_domain_port).
std::string host_domain(std::string_view host);

// Checks a --public-url ("https://name[:port][/prefix]") and returns it
// without a trailing slash; throws std::invalid_argument otherwise.
std::string normalize_public_url(std::string_view url);
// "name[:port]" of a normalized public URL.
std::string_view public_url_host(std::string_view url);

}  // namespace taskcore::server

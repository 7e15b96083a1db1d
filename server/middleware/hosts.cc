#include "middleware/hosts.h"

#include <httplib.h>

#include <stdexcept>

#include "middleware/error_body.h"
#include "taskcore/error.h"

namespace taskcore::server {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

bool all_of(std::string_view text, bool (*ok)(char)) {
  for (const char c : text)
    if (!ok(c)) return false;
  return true;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool is_ipv6_char(char c) {
  return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_wildcard_address(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

}  // namespace

// Django: host_validation_re = ^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9\.:]+\])(:[0-9]+)?$
std::string host_domain(std::string_view host) {
  const std::string text = lowercase(host);
  std::string_view rest = text;
  std::string_view domain;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return {};
    const std::string_view inside = rest.substr(1, close - 1);
    if (inside.find(':') == std::string_view::npos || !all_of(inside, is_ipv6_char)) return {};
    domain = rest.substr(0, close + 1);
    rest.remove_prefix(close + 1);
  } else {
    const auto colon = rest.find(':');
    domain = rest.substr(0, colon);
    if (domain.empty() || !all_of(domain, is_name_char)) return {};
    rest.remove_prefix(domain.size());
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || !all_of(rest.substr(1), is_digit)) return {};
  }
  if (domain.back() == '.') domain.remove_suffix(1);
  return std::string(domain);
}

HostPolicy::HostPolicy(std::vector<std::string> patterns) {
  for (auto& pattern : patterns) patterns_.push_back(lowercase(pattern));
}

std::vector<std::string> HostPolicy::default_patterns(const std::string& bind_host) {
  std::vector<std::string> patterns = {"localhost", "127.0.0.1", "[::1]"};
  if (!is_wildcard_address(bind_host)) {
    const bool v6 = bind_host.find(':') != std::string::npos && bind_host.front() != '[';
    patterns.push_back(v6 ? "[" + bind_host + "]" : bind_host);
  }
  return patterns;
}

bool HostPolicy::allows(std::string_view host) const {
  const std::string domain = host_domain(host);
  if (domain.empty()) return false;
  for (const std::string& pattern : patterns_) {
    if (pattern == "*" || pattern == domain) return true;
    if (pattern.size() > 1 && pattern.front() == '.' &&
        (domain == std::string_view(pattern).substr(1) ||
         (domain.size() > pattern.size() &&
          domain.compare(domain.size() - pattern.size(), pattern.size(), pattern) == 0)))
      return true;
  }
  return false;
}

bool HostPolicy::check(const Clock& clock, const httplib::Request& req,
                       httplib::Response& res) const {
  static const std::string kForwardedHost = "X-Forwarded-Host", kHost = "Host";
  auto found = req.headers.find(kForwardedHost);
  if (found == req.headers.end()) found = req.headers.find(kHost);
  const std::string_view host =
      found == req.headers.end() ? std::string_view() : std::string_view(found->second);
  if (host.empty() && req.version == "HTTP/1.0") return true;
  if (allows(host)) return true;
  // The offending value is not echoed back.
  write_error(clock, Error(ErrorCode::kParseError, "Invalid Host header."), res);
  return false;
}

std::string normalize_public_url(std::string_view url) {
  std::string_view rest = url;
  if (rest.substr(0, 7) == "http://") rest.remove_prefix(7);
  else if (rest.substr(0, 8) == "https://") rest.remove_prefix(8);
  else throw std::invalid_argument("--public-url must start with http:// or https://");
  const auto slash = rest.find('/');
  if (host_domain(rest.substr(0, slash)).empty())
    throw std::invalid_argument("--public-url has no valid host");
  if (rest.find_first_of("?# ") != std::string_view::npos)
    throw std::invalid_argument("--public-url may not hold a query, fragment or space");
  std::string normalized(url);
  while (normalized.back() == '/') normalized.pop_back();
  return normalized;
}

std::string_view public_url_host(std::string_view url) {
  url.remove_prefix(url.find("://") + 3);
  return url.substr(0, url.find('/'));
}

}  // namespace taskcore::server

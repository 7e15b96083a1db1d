#include "middleware/proxies.h"

#include <httplib.h>

#include <cctype>
#include <string>
#include <string_view>

namespace taskcore::server {
namespace {

// std::string keys: built once, not for every request's lookups.
const std::string kForwardedFor = "X-Forwarded-For";
const std::string kForwardedProto = "X-Forwarded-Proto";
const std::string kForwardedHost = "X-Forwarded-Host";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Every comma-separated element of every `name` header, in arrival order.
std::vector<std::string> list_values(const httplib::Request& req, const std::string& name) {
  std::vector<std::string> values;
  const auto [first, last] = req.headers.equal_range(name);
  for (auto it = first; it != last; ++it) {
    std::string_view rest = it->second;
    while (true) {
      const auto comma = rest.find(',');
      const std::string_view element = trim(rest.substr(0, comma));
      if (!element.empty()) values.emplace_back(element);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return values;
}

void set_single(httplib::Request& req, const std::string& name, const std::string& value) {
  req.headers.erase(name);
  if (!value.empty()) req.headers.emplace(name, value);
}

}  // namespace

void ProxyPolicy::apply(httplib::Request& req) const {
  const auto peer = trusted_.empty() ? std::nullopt : IpAddress::parse(req.remote_addr);
  const bool trusted = peer && trusts(*peer);
  if (!trusted) {
    req.headers.erase(kForwardedFor);
    req.headers.erase(kForwardedProto);
    req.headers.erase(kForwardedHost);
    return;
  }

  // Each proxy appends the address it received from: walk back from the
  // nearest hop past every trusted one. A malformed entry ends the walk,
  // at the last address known to be real.
  const std::vector<std::string> hops = list_values(req, kForwardedFor);
  std::string client = req.remote_addr;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    const auto hop = IpAddress::parse(*it);
    if (!hop) break;
    client = hop->to_string();
    if (!trusts(*hop)) break;
  }
  req.remote_addr = client;
  set_single(req, "REMOTE_ADDR", client);
  set_single(req, kForwardedFor, client);

  const std::vector<std::string> protos = list_values(req, kForwardedProto);
  std::string proto = protos.empty() ? "" : protos.back();
  for (char& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  set_single(req, kForwardedProto, proto == "http" || proto == "https" ? proto : "");

  const std::vector<std::string> hosts = list_values(req, kForwardedHost);
  set_single(req, kForwardedHost, hosts.empty() ? "" : hosts.back());
}

}  // namespace taskcore::server

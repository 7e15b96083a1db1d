#pragma once

// X-Forwarded-For / -Proto / -Host, honoured only from trusted proxies.

#include <vector>

#include "util/ip_network.h"

namespace httplib {
struct Request;
}

namespace taskcore::server {

class ProxyPolicy {
 public:
  explicit ProxyPolicy(std::vector<IpNetwork> trusted) : trusted_(std::move(trusted)) {}

  // For every parsed request, before routing. When the peer is a trusted
  // proxy: the client address becomes the nearest untrusted address of
  // X-Forwarded-For, and X-Forwarded-Proto (http or https) and
  // X-Forwarded-Host keep only the value the nearest proxy added. From
  // anyone else the three headers are dropped, so nothing later (links,
  // the host check, audit addresses) can be fooled by them.
  void apply(httplib::Request& req) const;

  bool trusts(const IpAddress& address) const { return any_contains(trusted_, address); }

 private:
  std::vector<IpNetwork> trusted_;
};

}  // namespace taskcore::server

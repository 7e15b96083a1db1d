#pragma once

// IP addresses and CIDR networks, for the per-IP connection cap and the
// trusted proxies list.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace taskcore::server {

// An IPv4 or IPv6 address as 16 bytes; IPv4 is stored IPv4-mapped
// (::ffff:a.b.c.d) so that both spellings of one client compare equal.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  static std::optional<IpAddress> parse(std::string_view text);
  // AF_INET / AF_INET6 socket addresses; nullopt for anything else.
  static std::optional<IpAddress> from_sockaddr(const sockaddr* address);

  bool is_v4() const;
  std::string to_string() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

struct IpAddressHash {
  std::size_t operator()(const IpAddress& address) const;
};

// "10.0.0.0/8", "::1", "192.168.1.7" (a bare address is a /32 or /128).
class IpNetwork {
 public:
  static std::optional<IpNetwork> parse(std::string_view text);
  bool contains(const IpAddress& address) const;

 private:
  IpAddress base_;
  int prefix_bits_ = 128;  // over the 16-byte form
};

// Parses every entry; throws std::invalid_argument naming the first bad one.
std::vector<IpNetwork> parse_networks(const std::vector<std::string>& entries);

bool any_contains(const std::vector<IpNetwork>& networks, const IpAddress& address);

}  // namespace taskcore::server

#include "util/ip_network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <stdexcept>

namespace taskcore::server {
namespace {

constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

IpAddress mapped_v4(const void* four_bytes) {
  IpAddress address;
  std::memcpy(address.bytes.data(), kMappedPrefix, sizeof kMappedPrefix);
  std::memcpy(address.bytes.data() + 12, four_bytes, 4);
  return address;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string copy(text);  // inet_pton wants a terminated string
  in_addr v4{};
  if (::inet_pton(AF_INET, copy.c_str(), &v4) == 1) return mapped_v4(&v4);
  IpAddress address;
  if (::inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) == 1) return address;
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::from_sockaddr(const sockaddr* address) {
  if (address->sa_family == AF_INET)
    return mapped_v4(&reinterpret_cast<const sockaddr_in*>(address)->sin_addr);
  if (address->sa_family == AF_INET6) {
    IpAddress result;
    std::memcpy(result.bytes.data(),
                &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, 16);
    return result;
  }
  return std::nullopt;
}

bool IpAddress::is_v4() const {
  return std::memcmp(bytes.data(), kMappedPrefix, sizeof kMappedPrefix) == 0;
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_v4()) ::inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  else ::inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  return text;
}

std::size_t IpAddressHash::operator()(const IpAddress& address) const {
  std::uint64_t halves[2];
  std::memcpy(halves, address.bytes.data(), sizeof halves);
  return std::hash<std::uint64_t>{}(halves[0] * 0x9e3779b97f4a7c15ULL ^ halves[1]);
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto base = IpAddress::parse(text.substr(0, slash));
  if (!base) return std::nullopt;
  const int max_bits = base->is_v4() ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    bits = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      bits = bits * 10 + (c - '0');
    }
    if (bits > max_bits) return std::nullopt;
  }
  IpNetwork network;
  network.base_ = *base;
  network.prefix_bits_ = base->is_v4() ? bits + 96 : bits;
  return network;
}

bool IpNetwork::contains(const IpAddress& address) const {
  int bits = prefix_bits_;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask =
        bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address.bytes[i] & mask) != (base_.bytes[i] & mask)) return false;
  }
  return true;
}

std::vector<IpNetwork> parse_networks(const std::vector<std::string>& entries) {
  std::vector<IpNetwork> networks;
  for (const std::string& entry : entries) {
    auto network = IpNetwork::parse(entry);
    if (!network) throw std::invalid_argument("not an IP address or network: " + entry);
    networks.push_back(*network);
  }
  return networks;
}

bool any_contains(const std::vector<IpNetwork>& networks, const IpAddress& address) {
  for (const IpNetwork& network : networks)
    if (network.contains(address)) return true;
  return false;
}

}  // namespace taskcore::server

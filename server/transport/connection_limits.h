#pragma once

// Connection caps checked at accept time, in all and per client address.

#include <cstddef>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "util/ip_network.h"

namespace taskcore::server::transport {

class ConnectionLimits {
 public:
  ConnectionLimits(std::size_t max_total, std::size_t max_per_ip,
                   std::vector<IpNetwork> uncapped);

  enum class Admission { kAdmitted, kOverIpCap, kOverTotalCap };

  // A counted connection; the count drops when it is destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept { *this = std::move(other); }
    Slot& operator=(Slot&& other) noexcept;
    ~Slot() { release(); }

   private:
    friend class ConnectionLimits;
    void release();
    ConnectionLimits* owner_ = nullptr;
    IpAddress address_;
    bool per_ip_ = false;
  };

  // Counts a new connection from `address`. kOverIpCap connections still
  // hold a slot (they are answered before closing); kOverTotalCap ones do
  // not and must be closed at once.
  Admission admit(const IpAddress& address, Slot& slot);

  std::size_t total() const;

 private:
  void release(const IpAddress& address, bool per_ip);

  const std::size_t max_total_;
  const std::size_t max_per_ip_;
  const std::vector<IpNetwork> uncapped_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<IpAddress, std::size_t, IpAddressHash> per_ip_;
};

}  // namespace taskcore::server::transport

#include "transport/connection_limits.h"

namespace taskcore::server::transport {

ConnectionLimits::ConnectionLimits(std::size_t max_total, std::size_t max_per_ip,
                                   std::vector<IpNetwork> uncapped)
    : max_total_(max_total), max_per_ip_(max_per_ip), uncapped_(std::move(uncapped)) {}

ConnectionLimits::Slot& ConnectionLimits::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    address_ = other.address_;
    per_ip_ = other.per_ip_;
    other.owner_ = nullptr;
  }
  return *this;
}

void ConnectionLimits::Slot::release() {
  if (owner_) owner_->release(address_, per_ip_);
  owner_ = nullptr;
}

ConnectionLimits::Admission ConnectionLimits::admit(const IpAddress& address, Slot& slot) {
  const bool capped = max_per_ip_ > 0 && !any_contains(uncapped_, address);
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) return Admission::kOverTotalCap;
  ++total_;
  slot.release();
  slot.owner_ = this;
  slot.address_ = address;
  slot.per_ip_ = capped;
  if (!capped) return Admission::kAdmitted;
  std::size_t& count = per_ip_[address];
  ++count;
  return count > max_per_ip_ ? Admission::kOverIpCap : Admission::kAdmitted;
}

void ConnectionLimits::release(const IpAddress& address, bool per_ip) {
  std::lock_guard lock(mutex_);
  --total_;
  if (!per_ip) return;
  const auto it = per_ip_.find(address);
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
}

std::size_t ConnectionLimits::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

}  // namespace taskcore::server::transport

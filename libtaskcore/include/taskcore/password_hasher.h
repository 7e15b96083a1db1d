#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "taskcore/export.h"

namespace taskcore {

// Cost of argon2id. The default follows OWASP's argon2id advice (19 MiB,
// two passes); tests use fast() so suites stay quick.
//
// Each hash holds memory_bytes while it runs, so concurrent hashes are
// capped: without a cap, 64 parallel logins took 1.2 GB. Hashes past the
// cap wait their turn for up to queue_timeout, then fail with
// Error(kServiceUnavailable).
struct PasswordCost {
  std::uint64_t ops = 2;
  std::size_t memory_bytes = 19u * 1024u * 1024u;
  // At most this many hashes run at once. 0 = as many as fit in
  // memory_budget_bytes, at most one per CPU, at least one.
  std::size_t max_concurrent = 0;
  std::size_t memory_budget_bytes = 64u * 1024u * 1024u;
  std::chrono::milliseconds queue_timeout{10000};

  static PasswordCost fast() { return {1, 8192}; }

  // The cap max_concurrent stands for on this machine.
  std::size_t concurrency() const;
};

// argon2id password hashes in libsodium's self-describing string format, so
// hashes made with one cost still verify after the cost changes.
// Thread-safe; copies share one cap.
class TASKCORE_EXPORT PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = {});
  // Both throw Error(kServiceUnavailable) when no slot frees up within
  // cost.queue_timeout.
  std::string hash(std::string_view password) const;
  bool verify(std::string_view password, const std::string& hash) const;
  // A hash of a random password: verifying against it costs as much as a real
  // check, so unknown users cannot be told apart by timing.
  const std::string& decoy_hash() const { return decoy_; }

 private:
  class Gate;
  PasswordCost cost_;
  std::shared_ptr<Gate> gate_;
  std::string decoy_;
};

}  // namespace taskcore

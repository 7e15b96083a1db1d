#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "taskcore/export.h"

namespace taskcore {

// Cost of argon2id. The default follows OWASP's argon2id advice (19 MiB,
// two passes); tests use fast() so suites stay quick.
struct PasswordCost {
  std::uint64_t ops = 2;
  std::size_t memory_bytes = 19u * 1024u * 1024u;

  static PasswordCost fast() { return {1, 8192}; }
};

// argon2id password hashes in libsodium's self-describing string format, so
// hashes made with one cost still verify after the cost changes.
class TASKCORE_EXPORT PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = {});
  std::string hash(std::string_view password) const;
  bool verify(std::string_view password, const std::string& hash) const;
  // A hash of a random password: verifying against it costs as much as a real
  // check, so unknown users cannot be told apart by timing.
  const std::string& decoy_hash() const { return decoy_; }

 private:
  PasswordCost cost_;
  std::string decoy_;
};

}  // namespace taskcore

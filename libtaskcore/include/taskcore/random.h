#pragma once

#include <cstddef>
#include <string>

#include "taskcore/export.h"

namespace taskcore {

// Source of unpredictable bytes for ids, tokens and secrets. Injected through
// Options so tests can make them deterministic. Thread safe.
class TASKCORE_EXPORT RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(void* buffer, std::size_t size) = 0;

  // `bytes` random bytes as lowercase hex (2 * bytes characters).
  std::string hex_token(std::size_t bytes);
};

// libsodium's randombytes (a CSPRNG seeded by the kernel).
class TASKCORE_EXPORT SecureRandom final : public RandomSource {
 public:
  SecureRandom();
  void fill(void* buffer, std::size_t size) override;
};

}  // namespace taskcore

#pragma once

#include "taskcore/export.h"
#include "taskcore/time.h"

namespace taskcore {

// Source of the current time. Injected through Options so tests control it.
// Implementations must be thread safe.
class TASKCORE_EXPORT Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// The system's real-time clock.
class TASKCORE_EXPORT SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

}  // namespace taskcore

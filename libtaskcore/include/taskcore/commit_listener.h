#pragma once

#include <cstdint>
#include <functional>

#include "taskcore/export.h"
#include "taskcore/subscription.h"

namespace taskcore {

// Tells a process that outbox events were committed, by this process or by
// another one sharing the database (PostgreSQL's LISTEN/NOTIFY; drogon's
// DbListener plays the same part). A Core subscribes and publishes the
// events up to the number it is told, reading them from the outbox.
//
// Callbacks run on the listener's own thread, one at a time, and must not
// block for long. `last_sequence` is the highest committed number known;
// after the listener lost and regained its connection (notifications sent
// meanwhile are gone) it is INT64_MAX: "catch up on everything".
// Thread safe.
class TASKCORE_EXPORT CommitListener {
 public:
  virtual ~CommitListener() = default;
  // The callback runs until the returned handle is destroyed (which waits
  // for a call in progress, unless made from inside the callback).
  [[nodiscard]] virtual Subscription subscribe(
      std::function<void(std::int64_t last_sequence)> callback) = 0;
};

}  // namespace taskcore

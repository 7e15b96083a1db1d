#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "taskcore/event_bus.h"
#include "taskcore/export.h"

namespace taskcore {

struct ServiceContext;

// How long committed events stay replayable. Pruning deletes an event only
// when it is older than `min_age_ms` and more than `min_events` newer
// events exist.
struct EventRetention {
  std::int64_t min_age_ms = 10 * 60 * 1000;
  std::int64_t min_events = 10000;
  // How often Core prunes on its scheduler; 0 = never on its own.
  std::int64_t prune_interval_ms = 60 * 1000;
};

// The committed events of the outbox, for replay by cursor (a realtime
// client that reconnects asks for what it missed). Thread safe. Obtained
// from Core::event_log().
class TASKCORE_EXPORT EventLog {
 public:
  explicit EventLog(ServiceContext& context) : ctx_(context) {}

  // Events with a sequence above `sequence`, oldest first, at most
  // `max_events`.
  std::vector<TaskEvent> read_after(std::int64_t sequence,
                                    std::size_t max_events = 1000);
  // The sequence of the newest committed event (0 before the first).
  std::int64_t last_sequence();
  // The oldest sequence still replayable: a cursor below first_sequence()-1
  // has missed pruned events.
  std::int64_t first_sequence();
  // Applies EventRetention now; returns how many outbox records it deleted.
  std::int64_t prune();

 private:
  ServiceContext& ctx_;
};

}  // namespace taskcore

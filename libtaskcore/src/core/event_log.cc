#include "taskcore/event_log.h"

#include <limits>

#include "core/event_relay.h"
#include "core/service_context.h"

namespace taskcore {

std::vector<TaskEvent> EventLog::read_after(std::int64_t sequence,
                                            std::size_t max_events) {
  return read_committed_events(*ctx_.store, sequence,
                               std::numeric_limits<std::int64_t>::max(), max_events);
}

std::int64_t EventLog::last_sequence() {
  return ctx_.store->read([](Transaction& tx) { return tx.outbox().last_sequence(); });
}

std::int64_t EventLog::first_sequence() {
  return ctx_.store->read([](Transaction& tx) { return tx.outbox().first_sequence(); });
}

std::int64_t EventLog::prune() {
  const Timestamp before = ctx_.clock->now() - ctx_.retention.min_age_ms;
  return ctx_.store->write([&](Transaction& tx) -> std::int64_t {
    const std::int64_t up_to = tx.outbox().last_sequence() - ctx_.retention.min_events;
    if (up_to <= 0) return 0;
    return tx.outbox().prune(up_to, before);
  });
}

}  // namespace taskcore

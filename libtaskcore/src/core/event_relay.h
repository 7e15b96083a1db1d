#pragma once

#include <cstdint>
#include <limits>
#include <mutex>
#include <vector>

#include "taskcore/event_bus.h"
#include "taskcore/logger.h"
#include "taskcore/store.h"

namespace taskcore {

// Feeds the in-process EventBus from committed outbox events, each exactly
// once and in sequence order, whichever thread or server committed them.
//
// A local commit hands over its events (already in memory) through an
// on_commit callback. When they are the next ones due they are published
// as they are; when earlier numbers are still missing (another thread's
// callback has not run yet, or another server committed them) the relay
// reads everything up to them from the outbox instead. Numbers follow commit
// order, so once a number is committed every number below it is too.
class EventRelay {
 public:
  EventRelay(Store& store, EventBus& bus, Logger& logger)
      : store_(store), bus_(bus), logger_(logger) {}

  // Starts after the newest event already stored (the bus only carries what
  // commits from now on).
  void start();
  // After a local commit: `events` with their sequence numbers, in order.
  void committed(const std::vector<TaskEvent>& events);
  // Publishes every committed event up to `sequence` not yet published.
  void catch_up(std::int64_t sequence = std::numeric_limits<std::int64_t>::max());

 private:
  // Reads and publishes events after cursor_ up to `sequence`. Called with
  // mutex_ held.
  void publish_from_store(std::int64_t sequence);
  void publish(std::span<const TaskEvent> events);

  Store& store_;
  EventBus& bus_;
  Logger& logger_;
  // Held while publishing, so batches reach subscribers in order.
  std::mutex mutex_;
  std::int64_t cursor_ = 0;  // the last sequence published
};

// Reads committed events with sequence in (after, up_to], oldest first, at
// most `max_events`.
std::vector<TaskEvent> read_committed_events(Store& store, std::int64_t after,
                                             std::int64_t up_to,
                                             std::size_t max_events);

}  // namespace taskcore

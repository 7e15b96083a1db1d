#include "core/event_relay.h"

#include <algorithm>
#include <string>

#include "core/event_codec.h"

namespace taskcore {
namespace {

constexpr std::size_t kRecordsPerRead = 256;
constexpr std::size_t kEventsPerCatchUp = 100000;

}  // namespace

std::vector<TaskEvent> read_committed_events(Store& store, std::int64_t after,
                                             std::int64_t up_to,
                                             std::size_t max_events) {
  std::vector<TaskEvent> out;
  while (out.size() < max_events && after < up_to) {
    const std::vector<OutboxRecord> records = store.read(
        [&](Transaction& tx) { return tx.outbox().read_after(after, kRecordsPerRead); });
    if (records.empty()) break;
    for (const OutboxRecord& record : records) {
      for (TaskEvent& event : decode_events(record.payload, record.first_sequence)) {
        if (event.sequence <= after || event.sequence > up_to) continue;
        if (out.size() == max_events) return out;
        out.push_back(std::move(event));
      }
      after = std::max(after, std::min(record.last_sequence, up_to));
    }
    if (records.size() < kRecordsPerRead) break;
  }
  return out;
}

void EventRelay::start() {
  const std::int64_t last =
      store_.read([](Transaction& tx) { return tx.outbox().last_sequence(); });
  std::lock_guard lock(mutex_);
  cursor_ = last;
}

void EventRelay::committed(const std::vector<TaskEvent>& events) {
  if (events.empty()) return;
  std::lock_guard lock(mutex_);
  const std::int64_t last = events.back().sequence;
  if (last <= cursor_) return;  // published already, read from the store
  if (events.front().sequence == cursor_ + 1) {
    publish(events);
    cursor_ = last;
    return;
  }
  publish_from_store(last);
}

void EventRelay::catch_up(std::int64_t sequence) {
  std::lock_guard lock(mutex_);
  if (sequence <= cursor_) return;
  publish_from_store(sequence);
}

void EventRelay::publish_from_store(std::int64_t sequence) {
  try {
    while (cursor_ < sequence) {
      std::vector<TaskEvent> events =
          read_committed_events(store_, cursor_, sequence, kEventsPerCatchUp);
      if (events.empty()) return;
      publish(events);
      cursor_ = events.back().sequence;
    }
  } catch (const std::exception& e) {
    // The events stay in the outbox: the next commit or catch_up retries.
    logger_.log(LogLevel::kError,
                std::string("event relay: reading the outbox failed: ") + e.what());
  }
}

void EventRelay::publish(std::span<const TaskEvent> events) {
  try {
    bus_.publish(events);
  } catch (...) {
    // A custom bus that throws must not fail a committed change.
    logger_.log(LogLevel::kError, "event relay: the event bus threw");
  }
}

}  // namespace taskcore

#include "taskcore/event_bus.h"

#include <map>
#include <mutex>

namespace taskcore {

// Each handler has its own recursive mutex, held while it runs. Unsubscribing
// takes that mutex, so once it returns the handler never runs again; being
// recursive, a handler may drop its own subscription. Handlers run outside
// the bus lock, so they may publish or subscribe.
namespace {
struct Entry {
  explicit Entry(TaskEventHandler h) : handler(std::move(h)) {}
  std::recursive_mutex mutex;
  bool active = true;
  TaskEventHandler handler;
};
}  // namespace

struct InProcessEventBus::State {
  std::mutex mutex;
  std::map<std::uint64_t, std::shared_ptr<Entry>> entries;
  std::uint64_t next_id = 1;
};

InProcessEventBus::InProcessEventBus() : state_(std::make_shared<State>()) {}
InProcessEventBus::~InProcessEventBus() = default;

void InProcessEventBus::publish(std::span<const TaskEvent> events) {
  if (events.empty()) return;
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard lock(state_->mutex);
    entries.reserve(state_->entries.size());
    for (const auto& [id, entry] : state_->entries) entries.push_back(entry);
  }
  for (const auto& entry : entries) {
    std::lock_guard lock(entry->mutex);
    if (!entry->active) continue;
    try {
      entry->handler(events);
    } catch (...) {
      // A subscriber must not turn a committed change into a failure.
    }
  }
}

Subscription InProcessEventBus::subscribe(TaskEventHandler handler) {
  auto entry = std::make_shared<Entry>(std::move(handler));
  std::uint64_t id;
  {
    std::lock_guard lock(state_->mutex);
    id = state_->next_id++;
    state_->entries.emplace(id, entry);
  }
  std::weak_ptr<State> weak = state_;
  return Subscription([weak, id, entry] {
    if (auto state = weak.lock()) {
      std::lock_guard lock(state->mutex);
      state->entries.erase(id);
    }
    std::lock_guard lock(entry->mutex);
    entry->active = false;
  });
}

}  // namespace taskcore

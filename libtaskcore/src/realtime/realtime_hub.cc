#include <algorithm>
#include <chrono>

#include "core/service_context.h"
#include "realtime/hub_state.h"
#include "realtime/rooms.h"
#include "realtime/subscriber.h"
#include "taskcore/permissions.h"
#include "taskcore/realtime.h"

namespace taskcore {

using realtime::HubState;
using realtime::Subscriber;
using realtime::Wakeups;

namespace {

// Events read from the outbox per call, and at most examined per read():
// a reader whose rooms match little still gets an answer (and a cursor
// past what it scanned) in bounded time.
constexpr std::size_t kReadChunk = 500;
constexpr std::size_t kMaxScanned = 10000;

Subscriber& own(RealtimeSubscriber& subscriber) {
  auto* ours = dynamic_cast<Subscriber*>(&subscriber);
  if (!ours) throw Error::internal("A subscriber that no RealtimeHub created.");
  return *ours;
}

Error cursor_error(std::string message) {
  return Error::validation({{"cursor", {std::move(message)}}}, "Invalid cursor.");
}

Error cursor_expired(std::int64_t current) {
  return Error(ErrorCode::kValidationError, "This cursor has expired.",
               {{"cursor", {"This cursor has expired; resync and continue from the current cursor."}}},
               {{"reason", std::string("cursor_expired")}, {"cursor", current}});
}

}  // namespace

std::string_view realtime_event_name(RealtimeEventType type) {
  switch (type) {
    case RealtimeEventType::kTaskCreated: return "task_created";
    case RealtimeEventType::kTaskUpdated: return "task_updated";
    case RealtimeEventType::kTaskDeleted: return "task_deleted";
    case RealtimeEventType::kUserJoined: return "user_joined";
    case RealtimeEventType::kUserLeft: return "user_left";
    case RealtimeEventType::kNotification: return "notification";
  }
  return "unknown";
}

struct RealtimeHub::State {
  State(ServiceContext& context, RealtimeOptions options)
      : log(context),
        hub(std::make_shared<HubState>(std::move(options), context.clock, context.logger,
                                       context.store->shared_presence())) {}

  EventLog log;
  std::shared_ptr<HubState> hub;
  Subscription bus;
  ScheduledJob heartbeat;

  // The requested rooms, each checked, without duplicates, in order.
  std::vector<std::string> checked_rooms(const Principal& user,
                                         const std::vector<std::string>& rooms) const;
  // Registers an internal subscriber for wait() in `rooms`.
  std::shared_ptr<Subscriber> watch(const Principal& user,
                                    const std::vector<std::string>& rooms);
};

std::vector<std::string> RealtimeHub::State::checked_rooms(
    const Principal& user, const std::vector<std::string>& rooms) const {
  if (!can_read(user)) throw Error::permission_denied();
  if (rooms.empty()) throw Error::validation({{"rooms", {"Name at least one room."}}});
  std::vector<std::string> out;
  for (const std::string& room : rooms) {
    realtime::check_room(user, room);
    if (std::find(out.begin(), out.end(), room) == out.end()) out.push_back(room);
  }
  if (out.size() > hub->options.max_rooms_per_subscriber)
    throw Error::validation({{"rooms", {"At most " +
                                        std::to_string(hub->options.max_rooms_per_subscriber) +
                                        " rooms at once."}}});
  return out;
}

std::shared_ptr<Subscriber> RealtimeHub::State::watch(const Principal& user,
                                                      const std::vector<std::string>& rooms) {
  // Only a signal: one queued event is enough to wake the waiter.
  auto watcher = std::make_shared<Subscriber>(hub, user, 16, 0, /*internal=*/true);
  Wakeups wakeups;
  std::lock_guard lock(hub->mutex);
  hub->add_member(*watcher);
  for (const std::string& room : rooms) hub->join(*watcher, room, wakeups);
  return watcher;
}

RealtimeHub::RealtimeHub(ServiceContext& context, RealtimeOptions options) {
  if (options.server_id.empty()) options.server_id = context.random->hex_token(8);
  state_ = std::make_shared<State>(context, std::move(options));
  HubState* hub = state_->hub.get();
  state_->bus = context.events->subscribe(
      [hub](std::span<const TaskEvent> events) { hub->publish(events); });
  // Subscribed first: what commits now is either seen on the bus or
  // already counted here.
  const std::int64_t last = state_->log.last_sequence();
  {
    std::lock_guard lock(hub->mutex);
    hub->cursor = std::max(hub->cursor, last);
  }
  if (hub->shared) {
    state_->heartbeat = context.scheduler->schedule(hub->options.presence_heartbeat,
                                                    [hub] { hub->heartbeat(); });
    std::lock_guard lock(hub->mutex);
    hub->heartbeat_job = &state_->heartbeat;
  }
}

RealtimeHub::~RealtimeHub() {
  HubState& hub = *state_->hub;
  {
    std::lock_guard lock(hub.mutex);
    hub.stopped = true;
    hub.heartbeat_job = nullptr;
  }
  state_->heartbeat.reset();
  state_->bus.reset();
  hub.withdraw();
  // Subscribers may outlive the hub; closing them wakes their waiters.
  Wakeups wakeups;
  std::lock_guard lock(hub.mutex);
  for (auto& [subscriber, member] : hub.members) wakeups.add(subscriber->close());
  hub.members.clear();
  hub.rooms.clear();
}

void RealtimeHub::check_room(const Principal& user, std::string_view room) const {
  realtime::check_room(user, room);
}

std::shared_ptr<RealtimeSubscriber> RealtimeHub::connect(const Principal& user) {
  if (!can_read(user)) throw Error::permission_denied();
  HubState& hub = *state_->hub;
  auto subscriber = std::make_shared<Subscriber>(state_->hub, user,
                                                 hub.options.subscriber_queue_limit, 0,
                                                 /*internal=*/false);
  Wakeups wakeups;
  std::lock_guard lock(hub.mutex);
  hub.add_member(*subscriber);
  // A principal without a user id (none of the transports makes one) has
  // no room of its own.
  if (user.user_id > 0) hub.join(*subscriber, realtime::user_room(user.user_id), wakeups);
  return subscriber;
}

void RealtimeHub::join(RealtimeSubscriber& subscriber, std::string_view room) {
  Subscriber& ours = own(subscriber);
  realtime::check_room(ours.principal(), room);
  HubState& hub = *state_->hub;
  Wakeups wakeups;
  std::lock_guard lock(hub.mutex);
  hub.join(ours, std::string(room), wakeups);  // a closed subscriber: nothing
}

void RealtimeHub::leave(RealtimeSubscriber& subscriber, std::string_view room) {
  Subscriber& ours = own(subscriber);
  realtime::check_room(ours.principal(), room);
  HubState& hub = *state_->hub;
  Wakeups wakeups;
  std::lock_guard lock(hub.mutex);
  hub.leave(ours, room, wakeups);
}

void RealtimeHub::disconnect(RealtimeSubscriber& subscriber) {
  Subscriber& ours = own(subscriber);
  HubState& hub = *state_->hub;
  Wakeups wakeups;
  std::lock_guard lock(hub.mutex);
  hub.remove_member(ours, wakeups);
  wakeups.add(ours.close());
}

std::int64_t RealtimeHub::current_cursor() { return state_->log.last_sequence(); }

RealtimeBatch RealtimeHub::read(const Principal& user, const std::vector<std::string>& rooms,
                                std::int64_t cursor, std::size_t max_events) {
  const std::vector<std::string> wanted = state_->checked_rooms(user, rooms);
  EventLog& log = state_->log;
  const std::int64_t current = log.last_sequence();
  if (cursor < 0) throw cursor_error("A cursor is 0 or more.");
  if (cursor > current)
    throw cursor_error("This cursor is ahead of the current cursor (" + std::to_string(current) +
                       ").");
  if (cursor < log.first_sequence() - 1) throw cursor_expired(current);

  RealtimeBatch batch;
  batch.cursor = cursor;
  std::size_t scanned = 0;
  while (batch.events.size() < max_events && scanned < kMaxScanned) {
    const std::vector<TaskEvent> chunk = log.read_after(batch.cursor, kReadChunk);
    if (chunk.empty()) break;
    // Pruned between the check above and this read: the gap is lost.
    if (batch.cursor == cursor && chunk.front().sequence > cursor + 1 &&
        cursor < log.first_sequence() - 1)
      throw cursor_expired(current);
    for (const TaskEvent& change : chunk) {
      realtime::RoutedEvent routed = realtime::route(change);
      std::vector<RealtimeEvent> entries;
      // One entry per change, through the first requested room it reaches.
      auto room = std::find_first_of(wanted.begin(), wanted.end(), routed.rooms.begin(),
                                     routed.rooms.end());
      if (room != wanted.end()) {
        entries.push_back(std::move(routed.event));
        entries.back().room = *room;
      }
      if (routed.notification && std::find(wanted.begin(), wanted.end(),
                                           routed.notification->room) != wanted.end())
        entries.push_back(std::move(*routed.notification));
      // A change and its notification share a cursor, so they are never
      // split; only a batch's first change may exceed max_events.
      if (!batch.events.empty() && batch.events.size() + entries.size() > max_events)
        return batch;
      for (RealtimeEvent& entry : entries) batch.events.push_back(std::move(entry));
      batch.cursor = change.sequence;
      ++scanned;
      if (batch.events.size() >= max_events || scanned >= kMaxScanned) return batch;
    }
    if (chunk.size() < kReadChunk) break;
  }
  batch.cursor = std::max(batch.cursor, cursor);
  return batch;
}

RealtimeBatch RealtimeHub::wait(const Principal& user, const std::vector<std::string>& rooms,
                                std::int64_t cursor, std::chrono::milliseconds timeout,
                                std::size_t max_events) {
  const std::vector<std::string> wanted = state_->checked_rooms(user, rooms);
  // Watching before the first read: a change committed in between wakes us.
  std::shared_ptr<Subscriber> watcher = state_->watch(user, wanted);
  RealtimeBatch batch = read(user, wanted, cursor, max_events);
  if (!batch.events.empty() || max_events == 0) return batch;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const std::vector<RealtimeEvent> signal = watcher->wait(left, 1);
    if (watcher->closed()) break;
    if (signal.empty() && !watcher->overflowed()) continue;  // timed out
    if (watcher->overflowed()) watcher = state_->watch(user, wanted);
    // The log, not the signal, decides what is returned: same order and
    // rooms as read().
    batch = read(user, wanted, batch.cursor, max_events);
    if (!batch.events.empty()) return batch;
  }
  return read(user, wanted, batch.cursor, max_events);
}

std::vector<std::int64_t> RealtimeHub::presence(const Principal& user, std::string_view room) {
  if (!can_read(user)) throw Error::permission_denied();
  realtime::check_room(user, room);
  HubState& hub = *state_->hub;
  std::lock_guard lock(hub.mutex);
  return hub.present_users(room);
}

RealtimeStats RealtimeHub::stats() const {
  const HubState& hub = *state_->hub;
  std::lock_guard lock(hub.mutex);
  RealtimeStats stats;
  for (const auto& [subscriber, member] : hub.members)
    if (!subscriber->internal()) ++stats.subscribers;
  for (const auto& [name, room] : hub.rooms)
    if (!room.local_users.empty()) ++stats.rooms;
  stats.events_delivered = hub.events_delivered;
  stats.subscribers_dropped = hub.subscribers_dropped;
  return stats;
}

}  // namespace taskcore

#pragma once

// The shared state behind RealtimeHub: who is in which room, local and
// remote presence, and delivery to subscriber queues.
//
// Locking: `mutex` guards everything here; a Subscriber's own mutex nests
// inside it (hub, then subscriber). Wakers run after both are released
// (Wakeups), so a waker may call back into the hub. The state outlives the
// hub while a subscriber's destructor is using it, so it keeps its own
// references to the clock, logger and presence store and never touches the
// ServiceContext.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "realtime/rooms.h"
#include "realtime/subscriber.h"
#include "taskcore/clock.h"
#include "taskcore/logger.h"
#include "taskcore/presence_store.h"
#include "taskcore/realtime.h"
#include "taskcore/scheduler.h"

namespace taskcore::realtime {

// Wakers collected under the lock, run once it is released.
class Wakeups {
 public:
  Wakeups() = default;
  Wakeups(const Wakeups&) = delete;
  Wakeups& operator=(const Wakeups&) = delete;
  ~Wakeups() { run(); }
  void add(Subscriber::Waker waker) {
    if (waker) wakers_.push_back(std::move(waker));
  }
  void run() noexcept;

 private:
  std::vector<Subscriber::Waker> wakers_;
};

struct HubState {
  HubState(RealtimeOptions options, std::shared_ptr<const Clock> clock,
           std::shared_ptr<Logger> logger, std::shared_ptr<PresenceStore> shared);

  const RealtimeOptions options;
  const std::shared_ptr<const Clock> clock;
  const std::shared_ptr<Logger> logger;
  const std::shared_ptr<PresenceStore> shared;  // null: presence is local only

  struct Room {
    std::vector<Subscriber*> members;  // in join order
    std::map<std::int64_t, int> local_users;  // user -> local (visible) subscribers
  };
  struct Member {
    std::vector<std::string> rooms;  // in join order
  };

  mutable std::mutex mutex;
  std::map<std::string, Room, std::less<>> rooms;
  std::map<Subscriber*, Member> members;
  // Users present through other servers, by room (the last heartbeat's view).
  std::map<std::string, std::set<std::int64_t>, std::less<>> remote;
  std::int64_t cursor = 0;  // the newest sequence the bus brought
  std::uint64_t events_delivered = 0;
  std::uint64_t subscribers_dropped = 0;
  bool stopped = false;
  // Asks for an early heartbeat after a local presence change.
  ScheduledJob* heartbeat_job = nullptr;

  // Subscribers (all under `mutex`).
  void add_member(Subscriber& subscriber);
  // False when `subscriber` is not (or no longer) a member.
  bool join(Subscriber& subscriber, const std::string& room, Wakeups& wakeups);
  void leave(Subscriber& subscriber, std::string_view room, Wakeups& wakeups);
  void remove_member(Subscriber& subscriber, Wakeups& wakeups);
  // From ~Subscriber: takes the lock itself.
  void forget(Subscriber& subscriber);

  // Routes committed changes to the rooms' queues. Takes the lock itself.
  void publish(std::span<const TaskEvent> changes);
  void deliver(Subscriber& subscriber, RealtimeEvent event, Wakeups& wakeups);
  // `event` to every visible member of `room` (presence announcements).
  void announce(const std::string& room, const RealtimeEvent& event, Wakeups& wakeups);

  // Presence (presence.cc).
  bool present_remotely(std::string_view room, std::int64_t user) const;
  void local_user_added(const std::string& room, std::int64_t user, Wakeups& wakeups);
  void local_user_removed(const std::string& room, std::int64_t user, Wakeups& wakeups);
  std::vector<std::int64_t> present_users(std::string_view room) const;
  // Publishes this server's presence and takes in the others'. Catches and
  // logs the presence store's failures. Takes the lock itself.
  void heartbeat();
  void withdraw() noexcept;
  RealtimeEvent presence_event(RealtimeEventType type, const std::string& room,
                               std::int64_t user) const;
};

}  // namespace taskcore::realtime

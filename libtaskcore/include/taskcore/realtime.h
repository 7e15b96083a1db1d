#pragma once

// Realtime rooms, presence and replay, transport-free (CONTRACT §7). The
// Socket.IO and JSON long-poll transports of taskcore-server sit on top of
// this; a C++ or Python program can use it directly.
//
// Events come from the outbox (EventBus + EventLog), so an event's
// `sequence` is its outbox position: the same on every server sharing the
// database, and the cursor a client resumes from.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/task.h"
#include "taskcore/time.h"
#include "taskcore/user.h"

namespace taskcore {

enum class RealtimeEventType {
  kTaskCreated,
  kTaskUpdated,
  kTaskDeleted,
  kUserJoined,
  kUserLeft,
  kNotification,
};

// The contract's event name: "task_created", ..., "notification".
TASKCORE_EXPORT std::string_view realtime_event_name(RealtimeEventType type);

// A message for one user, sent to its `user_{id}` room.
struct Notification {
  std::string type;     // "task_assigned"
  std::string message;  // safe to show
  std::int64_t task_id = 0;  // 0 when it is about no task
};

// One event as a client receives it, through one room.
struct RealtimeEvent {
  RealtimeEventType type = RealtimeEventType::kTaskUpdated;
  // The outbox position of the task change it comes from (a notification
  // carries the sequence of the change that caused it); 0 for presence,
  // which is not replayable.
  std::int64_t sequence = 0;
  std::string room;  // the room it reached this subscriber through
  Timestamp at = 0;
  std::int64_t task_id = 0;   // task events, notifications about a task
  std::optional<Task> task;   // task_created / task_updated: the new state
  std::int64_t actor_id = 0;  // created_by / updated_by / deleted_by
  std::int64_t user_id = 0;   // user_joined / user_left: who
  std::optional<Notification> notification;
};

struct RealtimeOptions {
  // Events a subscriber may have waiting; past it the subscriber is
  // dropped (its queue freed, overflowed() true) so that a slow or vanished
  // client never blocks a publisher nor grows memory without bound.
  std::size_t subscriber_queue_limit = 1000;
  // Rooms one subscriber may be in at once (join past it: validation_error).
  std::size_t max_rooms_per_subscriber = 100;
  // The identity of this process among servers sharing a PresenceStore;
  // empty = random.
  std::string server_id;
  // How often this process publishes its presence and reads the others'
  // (only with a shared PresenceStore); a server silent for presence_ttl
  // is taken as gone and its users leave.
  std::chrono::milliseconds presence_heartbeat{2000};
  std::chrono::milliseconds presence_ttl{10000};
};

class RealtimeHub;

// One connected client: the rooms it is in and its queue of events.
// Created by RealtimeHub::connect; thread safe. Events are delivered at
// most once per subscriber even when it is in several rooms the event goes
// to (the first matching room, in join order, names it).
class TASKCORE_EXPORT RealtimeSubscriber {
 public:
  virtual ~RealtimeSubscriber() = default;

  virtual const Principal& principal() const = 0;
  // The rooms joined, in join order (the own user room first).
  virtual std::vector<std::string> rooms() const = 0;

  // Takes up to `max_events` queued events without blocking.
  virtual std::vector<RealtimeEvent> take(std::size_t max_events = 1000) = 0;
  // Like take(), but waits up to `timeout` for the first event; returns
  // early (possibly empty) when the subscriber is closed or dropped.
  virtual std::vector<RealtimeEvent> wait(std::chrono::milliseconds timeout,
                                          std::size_t max_events = 1000) = 0;
  // Runs `waker` (on the publishing thread; it must be quick and must not
  // throw) each time the queue goes from empty to non-empty, and when the
  // subscriber is dropped or closed. Replaces the previous waker; an empty
  // function removes it (a delivery already under way may still run the
  // old one once). Wakers run with no lock of the hub held, so a waker may
  // call the hub (even disconnect this subscriber).
  virtual void set_waker(std::function<void()> waker) = 0;

  // True once the queue overflowed: its events were discarded and nothing
  // more is queued; the client must resync (e.g. replay from its cursor).
  virtual bool overflowed() const = 0;
  virtual bool closed() const = 0;
  // The sequence of the newest task event queued for this subscriber (or
  // the hub's cursor when it connected, before any).
  virtual std::int64_t cursor() const = 0;
};

// Events after a cursor, for a poll or a replay.
struct RealtimeBatch {
  std::int64_t cursor = 0;  // resume from here next time
  std::vector<RealtimeEvent> events;
};

// Counts of connect()ed subscribers (wait()'s internal watches excluded).
struct RealtimeStats {
  std::size_t subscribers = 0;
  std::size_t rooms = 0;  // rooms with at least one local subscriber
  std::uint64_t events_delivered = 0;  // queued to subscribers
  std::uint64_t subscribers_dropped = 0;  // overflowed queues
};

struct ServiceContext;

// Rooms, room rules, presence and replay. Obtained from Core::realtime().
// Thread safe.
//
// Rooms (CONTRACT §7): `tasks` gets every task event; `project_{p}` the
// events of tasks whose project is p before or after the change;
// `user_{id}` those of tasks created by or assigned to that user before or
// after the change, and its notifications. A subscriber is put in its own
// user room; only admins may join another user's room.
class TASKCORE_EXPORT RealtimeHub {
 public:
  RealtimeHub(ServiceContext& context, RealtimeOptions options);
  ~RealtimeHub();
  RealtimeHub(const RealtimeHub&) = delete;
  RealtimeHub& operator=(const RealtimeHub&) = delete;

  // Throws validation_error (field "room") for a name that is no room,
  // permission_denied for another user's room unless `user` is an admin.
  void check_room(const Principal& user, std::string_view room) const;

  // A new subscriber in its own user room (user_joined is announced there).
  // `user` must be able to read (can_read), else permission_denied. The
  // subscriber may outlive the hub (it is closed then); dropping the last
  // handle without disconnect() leaves its rooms as disconnect() would.
  std::shared_ptr<RealtimeSubscriber> connect(const Principal& user);
  // Joins / leaves a room, announcing user_joined / user_left to the room
  // when the user's first subscriber joins / last one leaves (and no other
  // server has the user there); the joining subscriber gets its own
  // user_joined too. Joining a room twice, leaving one not joined, or
  // joining with a closed subscriber changes nothing. Throws what
  // check_room throws, and validation_error (field "room") past
  // max_rooms_per_subscriber.
  void join(RealtimeSubscriber& subscriber, std::string_view room);
  void leave(RealtimeSubscriber& subscriber, std::string_view room);
  // Leaves every room and closes the subscriber. Idempotent.
  void disconnect(RealtimeSubscriber& subscriber);

  // The newest outbox sequence: a cursor that means "from now on".
  std::int64_t current_cursor();
  // Task events and notifications after `cursor` for `rooms` (each checked
  // with check_room), oldest first: one entry per task event (through the
  // first of `rooms` it reaches) and one per notification for a requested
  // user room. At most `max_events`, except that a change and its
  // notification are never split (a batch's first change may exceed it by
  // one). The returned cursor is the last sequence examined, so changes
  // that matched nothing are not scanned again; at most 10000 are examined
  // per call. Empty `rooms` (or more than max_rooms_per_subscriber) is
  // validation_error on field "rooms". A cursor whose
  // events were pruned from the outbox is validation_error on field
  // "cursor" with details {"reason": "cursor_expired", "cursor": <current>}
  // so that the client resyncs; a cursor past the current one is
  // validation_error too.
  RealtimeBatch read(const Principal& user, const std::vector<std::string>& rooms,
                     std::int64_t cursor, std::size_t max_events = 1000);
  // Like read(), but when nothing is there waits up to `timeout` for the
  // first event (watching the rooms before the first read, so nothing
  // committed in between is missed; the watch is not a subscriber, in
  // presence or stats). At timeout: an empty batch at the current cursor.
  RealtimeBatch wait(const Principal& user, const std::vector<std::string>& rooms,
                     std::int64_t cursor, std::chrono::milliseconds timeout,
                     std::size_t max_events = 1000);

  // User ids present in `room` on every server, ascending. Throws what
  // check_room throws.
  std::vector<std::int64_t> presence(const Principal& user, std::string_view room);

  RealtimeStats stats() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace taskcore

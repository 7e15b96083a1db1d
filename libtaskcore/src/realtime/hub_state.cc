#include "realtime/hub_state.h"

#include <algorithm>
#include <unordered_set>

namespace taskcore::realtime {

void Wakeups::run() noexcept {
  std::vector<Subscriber::Waker> wakers;
  wakers.swap(wakers_);
  for (const Subscriber::Waker& waker : wakers) {
    try {
      (*waker)();
    } catch (...) {
      // Documented as must-not-throw; a transport's bug must not reach the
      // publisher of a committed change.
    }
  }
}

HubState::HubState(RealtimeOptions options_in, std::shared_ptr<const Clock> clock_in,
                   std::shared_ptr<Logger> logger_in, std::shared_ptr<PresenceStore> shared_in)
    : options(std::move(options_in)),
      clock(std::move(clock_in)),
      logger(std::move(logger_in)),
      shared(std::move(shared_in)) {}

void HubState::add_member(Subscriber& subscriber) {
  members.emplace(&subscriber, Member{});
  subscriber.advance_cursor(cursor);
}

bool HubState::join(Subscriber& subscriber, const std::string& room, Wakeups& wakeups) {
  auto member = members.find(&subscriber);
  if (member == members.end()) return false;
  std::vector<std::string>& joined = member->second.rooms;
  if (std::find(joined.begin(), joined.end(), room) != joined.end()) return true;
  if (joined.size() >= options.max_rooms_per_subscriber)
    throw Error::validation(
        {{"room", {"A connection may be in at most " +
                   std::to_string(options.max_rooms_per_subscriber) + " rooms."}}},
        "Too many rooms.");
  joined.push_back(room);
  subscriber.set_rooms(joined);
  Room& entry = rooms[room];
  entry.members.push_back(&subscriber);
  if (!subscriber.internal()) {
    const std::int64_t user = subscriber.principal().user_id;
    if (entry.local_users[user]++ == 0) local_user_added(room, user, wakeups);
  }
  return true;
}

void HubState::leave(Subscriber& subscriber, std::string_view room, Wakeups& wakeups) {
  auto member = members.find(&subscriber);
  if (member == members.end()) return;
  std::vector<std::string>& joined = member->second.rooms;
  auto it = std::find(joined.begin(), joined.end(), room);
  if (it == joined.end()) return;
  const std::string name = *it;
  joined.erase(it);
  subscriber.set_rooms(joined);
  auto entry = rooms.find(name);
  if (entry == rooms.end()) return;
  std::erase(entry->second.members, &subscriber);
  if (!subscriber.internal()) {
    const std::int64_t user = subscriber.principal().user_id;
    auto count = entry->second.local_users.find(user);
    if (count != entry->second.local_users.end() && --count->second == 0) {
      entry->second.local_users.erase(count);
      local_user_removed(name, user, wakeups);
    }
  }
  if (entry->second.members.empty()) rooms.erase(entry);
}

void HubState::remove_member(Subscriber& subscriber, Wakeups& wakeups) {
  auto member = members.find(&subscriber);
  if (member == members.end()) return;
  // Last joined first, so that the announcements mirror the joins.
  const std::vector<std::string> joined = member->second.rooms;
  for (auto it = joined.rbegin(); it != joined.rend(); ++it) leave(subscriber, *it, wakeups);
  members.erase(&subscriber);
}

void HubState::forget(Subscriber& subscriber) {
  Wakeups wakeups;
  std::lock_guard lock(mutex);
  remove_member(subscriber, wakeups);
  // `wakeups` runs after the lock is released (declared first).
}

void HubState::deliver(Subscriber& subscriber, RealtimeEvent event, Wakeups& wakeups) {
  Subscriber::Waker waker;
  switch (subscriber.deliver(std::move(event), waker)) {
    case Subscriber::Outcome::kQueued:
      if (!subscriber.internal()) ++events_delivered;
      break;
    case Subscriber::Outcome::kDropped:
      if (!subscriber.internal()) ++subscribers_dropped;
      break;
    case Subscriber::Outcome::kIgnored:
      break;
  }
  wakeups.add(std::move(waker));
}

void HubState::announce(const std::string& room, const RealtimeEvent& event,
                        Wakeups& wakeups) {
  auto entry = rooms.find(room);
  if (entry == rooms.end()) return;
  for (Subscriber* subscriber : entry->second.members)
    if (!subscriber->internal()) deliver(*subscriber, event, wakeups);
}

void HubState::publish(std::span<const TaskEvent> changes) {
  Wakeups wakeups;
  std::lock_guard lock(mutex);
  std::vector<Subscriber*> targets;
  std::unordered_set<Subscriber*> seen;
  for (const TaskEvent& change : changes) {
    cursor = std::max(cursor, change.sequence);
    if (members.empty()) continue;
    RoutedEvent routed = route(change);
    targets.clear();
    seen.clear();
    for (const std::string& room : routed.rooms) {
      auto entry = rooms.find(room);
      if (entry == rooms.end()) continue;
      for (Subscriber* subscriber : entry->second.members)
        if (seen.insert(subscriber).second) targets.push_back(subscriber);
    }
    for (Subscriber* subscriber : targets) {
      // Once per subscriber, through the first of its rooms (join order)
      // that the event goes to.
      auto member = members.find(subscriber);
      if (member == members.end()) continue;
      const std::vector<std::string>& joined = member->second.rooms;
      auto room = std::find_first_of(joined.begin(), joined.end(), routed.rooms.begin(),
                                     routed.rooms.end());
      if (room == joined.end()) continue;
      RealtimeEvent event = routed.event;
      event.room = *room;
      deliver(*subscriber, std::move(event), wakeups);
    }
    if (routed.notification) {
      auto entry = rooms.find(routed.notification->room);
      if (entry != rooms.end())
        for (Subscriber* subscriber : entry->second.members)
          deliver(*subscriber, *routed.notification, wakeups);
    }
  }
}

}  // namespace taskcore::realtime

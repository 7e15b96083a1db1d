// Presence: the users with a local subscriber in a room, plus (with a
// shared PresenceStore) those other servers published within the ttl.
// A user is announced when it appears in a room on any server and when it
// has gone from every server.
#include <algorithm>
#include <string>

#include "realtime/hub_state.h"

namespace taskcore::realtime {

namespace {
bool present_locally(const std::map<std::string, HubState::Room, std::less<>>& rooms,
                     std::string_view room, std::int64_t user) {
  auto entry = rooms.find(room);
  return entry != rooms.end() && entry->second.local_users.contains(user);
}
}  // namespace

RealtimeEvent HubState::presence_event(RealtimeEventType type, const std::string& room,
                                       std::int64_t user) const {
  RealtimeEvent event;
  event.type = type;
  event.room = room;
  event.user_id = user;
  event.at = clock->now();
  return event;
}

bool HubState::present_remotely(std::string_view room, std::int64_t user) const {
  auto entry = remote.find(room);
  return entry != remote.end() && entry->second.contains(user);
}

void HubState::local_user_added(const std::string& room, std::int64_t user,
                                Wakeups& wakeups) {
  if (!present_remotely(room, user))
    announce(room, presence_event(RealtimeEventType::kUserJoined, room, user), wakeups);
  if (heartbeat_job) heartbeat_job->run_soon();
}

void HubState::local_user_removed(const std::string& room, std::int64_t user,
                                  Wakeups& wakeups) {
  if (!present_remotely(room, user))
    announce(room, presence_event(RealtimeEventType::kUserLeft, room, user), wakeups);
  if (heartbeat_job) heartbeat_job->run_soon();
}

std::vector<std::int64_t> HubState::present_users(std::string_view room) const {
  std::vector<std::int64_t> users;
  if (auto entry = rooms.find(room); entry != rooms.end())
    for (const auto& [user, count] : entry->second.local_users) users.push_back(user);
  if (auto entry = remote.find(room); entry != remote.end())
    users.insert(users.end(), entry->second.begin(), entry->second.end());
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

void HubState::heartbeat() {
  if (!shared) return;
  std::vector<PresenceEntry> mine;
  {
    std::lock_guard lock(mutex);
    if (stopped) return;
    for (const auto& [name, room] : rooms)
      for (const auto& [user, count] : room.local_users)
        mine.push_back(PresenceEntry{options.server_id, name, user});
  }
  const Timestamp now = clock->now();
  std::vector<PresenceEntry> live;
  try {
    shared->publish(options.server_id, mine, now);
  } catch (const std::exception& e) {
    logger->log(LogLevel::kWarning, std::string("realtime: publishing presence failed: ") + e.what());
  } catch (...) {
    logger->log(LogLevel::kWarning, "realtime: publishing presence failed");
  }
  try {
    live = shared->live(now - options.presence_ttl.count());
  } catch (const std::exception& e) {
    // Keep the last view rather than announce everyone as gone.
    logger->log(LogLevel::kWarning, std::string("realtime: reading presence failed: ") + e.what());
    return;
  } catch (...) {
    logger->log(LogLevel::kWarning, "realtime: reading presence failed");
    return;
  }

  std::map<std::string, std::set<std::int64_t>, std::less<>> others;
  for (const PresenceEntry& entry : live)
    if (entry.server_id != options.server_id) others[entry.room].insert(entry.user_id);

  Wakeups wakeups;
  std::lock_guard lock(mutex);
  if (stopped) return;
  // Only changes no local subscriber explains are news.
  for (const auto& [room, users] : others)
    for (std::int64_t user : users)
      if (!present_remotely(room, user) && !present_locally(rooms, room, user))
        announce(room, presence_event(RealtimeEventType::kUserJoined, room, user), wakeups);
  for (const auto& [room, users] : remote) {
    auto now_there = others.find(room);
    for (std::int64_t user : users)
      if ((now_there == others.end() || !now_there->second.contains(user)) &&
          !present_locally(rooms, room, user))
        announce(room, presence_event(RealtimeEventType::kUserLeft, room, user), wakeups);
  }
  remote = std::move(others);
}

void HubState::withdraw() noexcept {
  if (!shared) return;
  try {
    shared->withdraw(options.server_id);
  } catch (const std::exception& e) {
    logger->log(LogLevel::kWarning, std::string("realtime: withdrawing presence failed: ") + e.what());
  } catch (...) {
    logger->log(LogLevel::kWarning, "realtime: withdrawing presence failed");
  }
}

}  // namespace taskcore::realtime

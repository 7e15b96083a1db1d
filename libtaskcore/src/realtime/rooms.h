#pragma once

// Room names, who may be in which room, and which rooms a committed task
// change reaches (CONTRACT §7). Pure functions: no state, no locks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/event_bus.h"
#include "taskcore/realtime.h"
#include "taskcore/user.h"

namespace taskcore::realtime {

inline constexpr std::string_view kTasksRoom = "tasks";

std::string project_room(std::string_view project);
std::string user_room(std::int64_t user_id);

// The user of a `user_{id}` room, nullopt for any other name (valid or not).
std::optional<std::int64_t> user_of_room(std::string_view room);

// Throws validation_error on field "room" for a name that is no room, and
// permission_denied for another user's room unless `user` administers.
void check_room(const Principal& user, std::string_view room);

// A task change as the rooms see it.
struct RoutedEvent {
  // The task event (its `room` empty; set per subscriber or reader).
  RealtimeEvent event;
  // Every room it goes to, without duplicates: tasks, the project rooms
  // (before, after), the user rooms (creator and assignee, before, after).
  std::vector<std::string> rooms;
  // A task_assigned notification for `user_{assignee}` (its room set).
  std::optional<RealtimeEvent> notification;
};

RoutedEvent route(const TaskEvent& change);

}  // namespace taskcore::realtime

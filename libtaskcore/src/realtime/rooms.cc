#include "realtime/rooms.h"

#include <algorithm>
#include <charconv>

#include "taskcore/error.h"
#include "taskcore/permissions.h"

namespace taskcore::realtime {

namespace {

constexpr std::string_view kProjectPrefix = "project_";
constexpr std::string_view kUserPrefix = "user_";

// A project room names a task's project, which the task rules cap at
// kMaxLabelLength characters; a longer name could never receive anything.
std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void add_unique(std::vector<std::string>& rooms, std::string room) {
  if (std::find(rooms.begin(), rooms.end(), room) == rooms.end()) rooms.push_back(std::move(room));
}

Error bad_room(std::string message) {
  return Error::validation({{"room", {std::move(message)}}}, "Invalid room.");
}

}  // namespace

std::string project_room(std::string_view project) {
  return std::string(kProjectPrefix) + std::string(project);
}

std::string user_room(std::int64_t user_id) {
  return std::string(kUserPrefix) + std::to_string(user_id);
}

std::optional<std::int64_t> user_of_room(std::string_view room) {
  if (!room.starts_with(kUserPrefix)) return std::nullopt;
  const std::string_view digits = room.substr(kUserPrefix.size());
  // Canonical decimal only, so that one user has exactly one room name.
  if (digits.empty() || digits.front() == '0') return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return id;
}

void check_room(const Principal& user, std::string_view room) {
  if (room == kTasksRoom) return;
  if (room.starts_with(kProjectPrefix)) {
    const std::string_view project = room.substr(kProjectPrefix.size());
    if (project.empty()) throw bad_room("A project room needs a project name: project_<name>.");
    if (utf8_length(project) > kMaxLabelLength)
      throw bad_room("A project name has at most " + std::to_string(kMaxLabelLength) +
                     " characters.");
    return;
  }
  if (room.starts_with(kUserPrefix)) {
    const std::optional<std::int64_t> id = user_of_room(room);
    if (!id) throw bad_room("A user room is user_<id> with a positive decimal user id.");
    if (*id != user.user_id && !can_administer(user))
      throw Error::permission_denied("Only administrators may join another user's room.");
    return;
  }
  throw bad_room("Unknown room: use tasks, project_<name> or user_<id>.");
}

RoutedEvent route(const TaskEvent& change) {
  RoutedEvent routed;
  RealtimeEvent& event = routed.event;
  switch (change.type) {
    case TaskEventType::kCreated: event.type = RealtimeEventType::kTaskCreated; break;
    case TaskEventType::kUpdated: event.type = RealtimeEventType::kTaskUpdated; break;
    case TaskEventType::kDeleted: event.type = RealtimeEventType::kTaskDeleted; break;
  }
  event.sequence = change.sequence;
  event.at = change.at;
  event.task_id = change.task_id;
  event.actor_id = change.actor_id;
  if (change.type != TaskEventType::kDeleted && change.after) event.task = change.after;

  routed.rooms.emplace_back(kTasksRoom);
  // Before, then after: a task moved or reassigned reaches both sides.
  const std::optional<Task>* states[] = {&change.before, &change.after};
  for (const std::optional<Task>* state : states)
    if (*state && (*state)->project && !(*state)->project->empty())
      add_unique(routed.rooms, project_room(*(*state)->project));
  for (const std::optional<Task>* state : states) {
    if (!*state) continue;
    if ((*state)->created_by && *(*state)->created_by > 0)
      add_unique(routed.rooms, user_room(*(*state)->created_by));
    if ((*state)->assigned_to && *(*state)->assigned_to > 0)
      add_unique(routed.rooms, user_room(*(*state)->assigned_to));
  }

  // Told only when the change makes X the assignee, and not when X did it.
  const std::optional<std::int64_t> now_assigned =
      change.after ? change.after->assigned_to : std::nullopt;
  const std::optional<std::int64_t> was_assigned =
      change.before ? change.before->assigned_to : std::nullopt;
  if (now_assigned && *now_assigned > 0 && now_assigned != was_assigned &&
      *now_assigned != change.actor_id) {
    RealtimeEvent note;
    note.type = RealtimeEventType::kNotification;
    note.sequence = change.sequence;
    note.room = user_room(*now_assigned);
    note.at = change.at;
    note.task_id = change.task_id;
    note.actor_id = change.actor_id;
    note.notification = Notification{
        "task_assigned", "You were assigned \"" + change.after->title + "\".", change.task_id};
    routed.notification = std::move(note);
  }
  return routed;
}

}  // namespace taskcore::realtime

#pragma once

// The contract's realtime payloads (CONTRACT §7), shared by the Socket.IO
// transport and the JSON long-poll so both say exactly the same thing.

#include <string>

#include "taskcore/realtime.h"

namespace taskcore::server::realtime {

// task_created {task, created_by}; task_updated {task_id, task, updated_by};
// task_deleted {task_id, deleted_by}; user_joined / user_left
// {user_id, room}; notification {type, message, data: {task_id}}.
std::string event_data_json(const RealtimeEvent& event);

// One long-poll entry: {id, type, room, data, timestamp}; id is the event's
// outbox sequence (its cursor position).
std::string poll_entry_json(const RealtimeEvent& event);

// The Socket.IO EVENT packet of `event` as an Engine.IO message:
// 42["task_updated",{...}].
std::string socketio_event_message(const RealtimeEvent& event);

}  // namespace taskcore::server::realtime

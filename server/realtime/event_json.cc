#include "realtime/event_json.h"

#include "json/task_json.h"
#include "json/writer.h"
#include "taskcore/time.h"

namespace taskcore::server::realtime {
namespace {

void write_data(JsonWriter& out, const RealtimeEvent& event) {
  out.begin_object();
  switch (event.type) {
    case RealtimeEventType::kTaskCreated:
      out.key("task");
      write_task(out, *event.task);
      out.key("created_by").number(event.actor_id);
      break;
    case RealtimeEventType::kTaskUpdated:
      out.key("task_id").number(event.task_id);
      out.key("task");
      write_task(out, *event.task);
      out.key("updated_by").number(event.actor_id);
      break;
    case RealtimeEventType::kTaskDeleted:
      out.key("task_id").number(event.task_id);
      out.key("deleted_by").number(event.actor_id);
      break;
    case RealtimeEventType::kUserJoined:
    case RealtimeEventType::kUserLeft:
      out.key("user_id").number(event.user_id);
      out.key("room").string(event.room);
      break;
    case RealtimeEventType::kNotification: {
      const Notification& note = *event.notification;
      out.key("type").string(note.type);
      out.key("message").string(note.message);
      if (note.task_id != 0) {
        out.key("data").begin_object().key("task_id").number(note.task_id).end_object();
      }
      break;
    }
  }
  out.end_object();
}

}  // namespace

std::string event_data_json(const RealtimeEvent& event) {
  JsonWriter out(512);
  write_data(out, event);
  return out.take();
}

std::string poll_entry_json(const RealtimeEvent& event) {
  JsonWriter out(640);
  out.begin_object().key("id").number(event.sequence);
  out.key("type").string(realtime_event_name(event.type));
  out.key("room").string(event.room);
  out.key("data");
  write_data(out, event);
  out.key("timestamp").string(format_timestamp(event.at));
  out.end_object();
  return out.take();
}

// Built from text: the payload is JSON already.
std::string socketio_event_message(const RealtimeEvent& event) {
  std::string out = "42[\"";
  out += realtime_event_name(event.type);
  out += "\",";
  out += event_data_json(event);
  out += ']';
  return out;
}

}  // namespace taskcore::server::realtime

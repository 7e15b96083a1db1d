"""Realtime events: their payload schemas (shared by Socket.IO and the JSON
long-poll) and the x-realtime-events extension that documents each event,
its direction, rooms and an example."""

from examples import TASK, TASK_UPDATED
from schemas import OBJECT_ID, TIMESTAMP, closed, ref, text

ROOM = text("tasks, project_<name> or user_<id>.",
            pattern=r"^(tasks|project_.{1,100}|user_[1-9][0-9]*)$")


def realtime_schemas():
    notification = closed({
        "type": {"const": "task_assigned"},
        "message": text(),
        "data": closed({"task_id": OBJECT_ID}),
    })
    return {
        "TaskCreatedEvent": closed({"task": ref("Task"), "created_by": OBJECT_ID}),
        "TaskUpdatedEvent": closed({"task_id": OBJECT_ID, "task": ref("Task"),
                                    "updated_by": OBJECT_ID}),
        "TaskDeletedEvent": closed({"task_id": OBJECT_ID, "deleted_by": OBJECT_ID}),
        "PresenceEvent": closed({"user_id": OBJECT_ID, "room": ROOM}),
        "NotificationEvent": notification,
        "RoomRequest": {"anyOf": [{"type": "object", "required": ["room"],
                                   "properties": {"room": text()}},
                                  text("The room name as a bare string.")]},
        "RoomAck": closed({"ok": {"const": True}, "room": ROOM}),
        "TaskUpdateRequest": {
            "type": "object", "required": ["task_id", "updates"],
            "properties": {"task_id": {"type": "integer"}, "updates": ref("TaskInput")},
        },
        "PolledEvent": closed({
            "id": integer_sequence(),
            "type": {"type": "string",
                     "enum": ["task_created", "task_updated", "task_deleted", "notification"]},
            "room": ROOM,
            "data": {"anyOf": [ref("TaskCreatedEvent"), ref("TaskUpdatedEvent"),
                               ref("TaskDeletedEvent"), ref("NotificationEvent")]},
            "timestamp": TIMESTAMP,
        }),
        "PollAnswer": closed({
            "cursor": integer_sequence("Pass it back as ?cursor= on the next poll."),
            "events": {"type": "array", "items": ref("PolledEvent"), "maxItems": 1000},
        }),
        "Presence": closed({
            "room": ROOM,
            "users": {"type": "array", "items": OBJECT_ID,
                      "description": "Connected on any server, ascending."},
        }),
    }


def integer_sequence(description="The outbox sequence, the same on every server."):
    return {"type": "integer", "minimum": 0, "description": description}


NOTIFICATION = {"type": "task_assigned", "message": "You were assigned \"Ship the release\".",
                "data": {"task_id": 42}}


def realtime_events():
    """The x-realtime-events extension: name -> event."""
    task_rooms = ["tasks", "project_{name}", "user_{id}"]

    def event(direction, summary, schema, example, rooms=None, ack=None):
        entry = {"direction": direction, "summary": summary, "payload": schema,
                 "example": example}
        if rooms:
            entry["rooms"] = rooms
        if ack:
            entry["ack"] = ack
        return entry

    return {
        "task_created": event(
            "server-to-client", "A task was created (after its transaction committed).",
            ref("TaskCreatedEvent"), {"task": TASK, "created_by": 7}, task_rooms),
        "task_updated": event(
            "server-to-client",
            "A task changed; sent to the rooms of the task before and after the change.",
            ref("TaskUpdatedEvent"), TASK_UPDATED, task_rooms),
        "task_deleted": event(
            "server-to-client", "A task was deleted.", ref("TaskDeletedEvent"),
            {"task_id": 42, "deleted_by": 7}, task_rooms),
        "user_joined": event(
            "server-to-client", "A user's first connection joined the room.",
            ref("PresenceEvent"), {"user_id": 9, "room": "project_apollo"}, ["any"]),
        "user_left": event(
            "server-to-client",
            "A user's last connection left the room or disconnected.",
            ref("PresenceEvent"), {"user_id": 9, "room": "project_apollo"}, ["any"]),
        "notification": event(
            "server-to-client", "Someone else made the user a task's assignee.",
            ref("NotificationEvent"), NOTIFICATION, ["user_{id}"]),
        "join_room": event(
            "client-to-server",
            "Join a room; only admins may join another user's room.",
            ref("RoomRequest"), {"room": "project_apollo"},
            ack={"anyOf": [ref("RoomAck"), ref("Error")]}),
        "leave_room": event(
            "client-to-server", "Leave a room.", ref("RoomRequest"),
            {"room": "project_apollo"}, ack={"anyOf": [ref("RoomAck"), ref("Error")]}),
        "task_update": event(
            "client-to-server",
            "Change a task with the rules of PATCH /api/tasks/{id}/.",
            ref("TaskUpdateRequest"), {"task_id": 42, "updates": {"status": "done"}},
            ack={"anyOf": [ref("Task"), ref("Error")]}),
    }

#pragma once

// The outbox payload: a batch of task events in a compact binary form
// (every change writes one, so it must be cheap to make; JSON would cost
// more than the row it describes). Layout, little-endian base-128 varints
// (zigzag for signed values):
//
//   u8 version (1), varint count, then per event:
//     u8 type, varint task_id, varint actor_id, varint at,
//     u8 has (bit 0: after, bit 1: before),
//     after:  every field of the task,
//     before: varint mask of the fields it differs in from `after`, then
//             those fields (every field when there is no `after`).
//
// A task's fields, in bit order: title, description, status, priority,
// category, project, due_date, assigned_to, created_by, created_at,
// updated_at. The sequence numbers are not in the payload: the record's
// first_sequence numbers its events in order.

#include <span>
#include <string>
#include <vector>

#include "taskcore/event_bus.h"

namespace taskcore {

std::string encode_events(std::span<const TaskEvent> events);

// Decodes a payload, numbering its events from `first_sequence`. Throws
// Error(kInternalError) on a malformed payload.
std::vector<TaskEvent> decode_events(std::string_view payload,
                                     std::int64_t first_sequence);

}  // namespace taskcore

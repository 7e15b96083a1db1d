#pragma once

// What every change writes beside itself, in its own transaction: the audit
// entry and the outbox events.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event_relay.h"
#include "taskcore/audit.h"
#include "taskcore/event_bus.h"
#include "taskcore/store.h"
#include "taskcore/user.h"

namespace taskcore {

struct AuditTarget {
  std::string_view type;  // "task", "user", ...
  std::optional<std::int64_t> id;
};

void record_audit(Transaction& tx, Timestamp at,
                  std::optional<std::int64_t> actor_id, const Origin& origin,
                  std::string_view action, AuditTarget target,
                  std::string details_json = "{}");

inline void record_audit(Transaction& tx, Timestamp at, const Principal& actor,
                         std::string_view action, AuditTarget target,
                         std::string details_json = "{}") {
  record_audit(tx, at, actor.user_id, actor.origin, action, target,
               std::move(details_json));
}

// Numbers `events` in the outbox and hands them to `relay` once `tx`
// commits. No-op for an empty list.
void record_task_events(Transaction& tx, EventRelay& relay,
                        std::vector<TaskEvent> events);

}  // namespace taskcore

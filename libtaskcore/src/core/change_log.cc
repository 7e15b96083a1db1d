#include "core/change_log.h"

#include "core/event_codec.h"

namespace taskcore {

void record_audit(Transaction& tx, Timestamp at,
                  std::optional<std::int64_t> actor_id, const Origin& origin,
                  std::string_view action, AuditTarget target,
                  std::string details_json) {
  AuditEntry entry;
  entry.timestamp = at;
  entry.actor_id = actor_id;
  entry.action = action;
  entry.target_type = target.type;
  entry.target_id = target.id;
  entry.details_json = std::move(details_json);
  entry.ip = origin.ip;
  entry.request_id = origin.request_id;
  tx.audit().append(entry);
}

void record_task_events(Transaction& tx, EventRelay& relay,
                        std::vector<TaskEvent> events) {
  if (events.empty()) return;
  const std::int64_t first = tx.outbox().append(
      static_cast<std::int64_t>(events.size()), events.front().at,
      encode_events(events));
  for (std::size_t i = 0; i < events.size(); ++i)
    events[i].sequence = first + static_cast<std::int64_t>(i);
  tx.on_commit([&relay, events = std::move(events)] { relay.committed(events); });
}

}  // namespace taskcore

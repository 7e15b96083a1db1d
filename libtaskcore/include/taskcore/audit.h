#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "taskcore/export.h"
#include "taskcore/time.h"

namespace taskcore {

// One append-only record of who did what. `details_json` is a JSON object.
struct AuditEntry {
  Timestamp timestamp = 0;
  std::optional<std::int64_t> actor_id;
  std::string action;       // e.g. "task.bulk_update"
  std::string target_type;  // e.g. "task"
  std::string target_id;    // empty when the action has many targets
  std::string details_json = "{}";
  std::string ip;
  std::string request_id;
};

// Where the core writes audit entries. The persistent audit log (and its
// admin route) plugs in here; until then Options leaves it empty and
// entries are not kept. Implementations must be thread safe and must not
// throw.
class TASKCORE_EXPORT AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual void record(const AuditEntry& entry) noexcept = 0;
};

}  // namespace taskcore

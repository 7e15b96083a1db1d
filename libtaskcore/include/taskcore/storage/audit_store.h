#pragma once

#include <cstdint>

#include "taskcore/audit.h"
#include "taskcore/export.h"
#include "taskcore/pagination.h"

namespace taskcore {

// The append-only audit log inside one transaction (see Transaction): an
// entry written with a change commits or rolls back with it. Nothing
// changes or deletes an entry.
class TASKCORE_EXPORT AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Stores `entry` (its id is ignored) and returns the new id.
  virtual std::int64_t append(const AuditEntry& entry) = 0;
  // Newest first (by id, descending).
  virtual Page<AuditEntry> query(const AuditFilter& filter,
                                 const PageRequest& page) = 0;
};

}  // namespace taskcore

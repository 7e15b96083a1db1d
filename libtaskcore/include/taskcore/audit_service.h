#pragma once

#include "taskcore/audit.h"
#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;

// Reading the audit log (the core writes it with every change). Thread
// safe. Obtained from Core::audit().
class TASKCORE_EXPORT AuditService {
 public:
  explicit AuditService(ServiceContext& context) : ctx_(context) {}

  // Admins only (permission_denied). Newest first; a page past the end is
  // not_found.
  Page<AuditEntry> list(const Principal& actor, const AuditFilter& filter,
                        const PageRequest& page);

 private:
  ServiceContext& ctx_;
};

}  // namespace taskcore

#include "taskcore/audit_service.h"

#include "core/service_context.h"
#include "taskcore/permissions.h"

namespace taskcore {

Page<AuditEntry> AuditService::list(const Principal& actor, const AuditFilter& filter,
                                    const PageRequest& page) {
  if (!can_administer(actor)) throw Error::permission_denied();
  Page<AuditEntry> result =
      ctx_.store->read([&](Transaction& tx) { return tx.audit().query(filter, page); });
  check_page_in_range(page, result.count);
  return result;
}

}  // namespace taskcore

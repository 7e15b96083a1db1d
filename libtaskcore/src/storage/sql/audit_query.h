#pragma once

#include <string_view>

#include "storage/sql/dialect.h"
#include "taskcore/audit.h"
#include "taskcore/pagination.h"

namespace taskcore::sql {

// The audit log as SQL over table `audit_log` (timestamp in ms), newest
// first (id descending).
PagedSelect build_audit_select(const AuditFilter& filter, Dialect dialect,
                               std::string_view columns, const PageRequest& page);

}  // namespace taskcore::sql

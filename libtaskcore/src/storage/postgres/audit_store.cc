#include "storage/postgres/transaction.h"
#include "storage/sql/audit_query.h"

namespace taskcore::postgres {
namespace {

constexpr const char* kAuditColumns =
    "id, timestamp, actor_id, action, target_type, target_id, details, ip, request_id";

AuditEntry read_entry(const Result& r, int row) {
  AuditEntry entry;
  entry.id = r.int64(row, 0);
  entry.timestamp = r.int64(row, 1);
  entry.actor_id = r.optional_int64(row, 2);
  entry.action = r.text(row, 3);
  entry.target_type = r.text(row, 4);
  entry.target_id = r.optional_int64(row, 5);
  entry.details_json = r.text(row, 6);
  entry.ip = r.text(row, 7);
  entry.request_id = r.text(row, 8);
  return entry;
}

}  // namespace

std::int64_t PgAuditStore::append(const AuditEntry& entry) {
  tx_.require_writable();
  const Result r = tx_.conn.query(
      "INSERT INTO audit_log (timestamp, actor_id, action, target_type, target_id, details, "
      "ip, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      Params()
          .add(entry.timestamp)
          .add(entry.actor_id)
          .add(std::string_view(entry.action))
          .add(std::string_view(entry.target_type))
          .add(entry.target_id)
          .add(std::string_view(entry.details_json))
          .add(std::string_view(entry.ip))
          .add(std::string_view(entry.request_id)));
  return r.int64(0, 0);
}

Page<AuditEntry> PgAuditStore::query(const AuditFilter& filter, const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_audit_select(filter, sql::Dialect::kPostgres, kAuditColumns, page);
  return paged_query<AuditEntry>(tx_, select, page, read_entry, true);
}

}  // namespace taskcore::postgres

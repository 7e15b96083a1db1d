#include "storage/sql/audit_query.h"
#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {
namespace {

constexpr const char* kAuditColumns =
    "id, timestamp, actor_id, action, target_type, target_id, details, ip, "
    "request_id";

AuditEntry read_entry(const Statement& st) {
  AuditEntry entry;
  entry.id = st.int64(0);
  entry.timestamp = st.int64(1);
  entry.actor_id = st.optional_int64(2);
  entry.action = st.text(3);
  entry.target_type = st.text(4);
  entry.target_id = st.optional_int64(5);
  entry.details_json = st.text(6);
  entry.ip = st.text(7);
  entry.request_id = st.text(8);
  return entry;
}

}  // namespace

std::int64_t SqliteAuditStore::append(const AuditEntry& entry) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "INSERT INTO audit_log (timestamp, actor_id, action, target_type, "
      "target_id, details, ip, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, entry.timestamp);
  st.bind(2, entry.actor_id);
  st.bind(3, std::string_view(entry.action));
  st.bind(4, std::string_view(entry.target_type));
  st.bind(5, entry.target_id);
  st.bind(6, std::string_view(entry.details_json));
  st.bind(7, std::string_view(entry.ip));
  st.bind(8, std::string_view(entry.request_id));
  st.run();
  return sqlite3_last_insert_rowid(tx_.conn.handle());
}

Page<AuditEntry> SqliteAuditStore::query(const AuditFilter& filter,
                                         const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_audit_select(filter, sql::Dialect::kSqlite, kAuditColumns, page);
  return paged_query<AuditEntry>(tx_, select, page, read_entry, true);
}

}  // namespace taskcore::sqlite

#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {

void SqliteResetTokenStore::insert(const ResetTokenRecord& token) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "INSERT INTO reset_tokens (hash, user_id, created_at, expires_at, used_at) "
      "VALUES (?, ?, ?, ?, ?)");
  st.bind(1, std::string_view(token.hash));
  st.bind(2, token.user_id);
  st.bind(3, token.created_at);
  st.bind(4, token.expires_at);
  st.bind(5, token.used_at);
  st.run();
}

std::optional<ResetTokenRecord> SqliteResetTokenStore::find(std::string_view hash, RowLock) {
  Statement st = tx_.conn.prepare(
      "SELECT hash, user_id, created_at, expires_at, used_at FROM reset_tokens "
      "WHERE hash = ?");
  st.bind(1, hash);
  if (!st.step()) return std::nullopt;
  ResetTokenRecord token;
  token.hash = st.text(0);
  token.user_id = st.int64(1);
  token.created_at = st.int64(2);
  token.expires_at = st.int64(3);
  token.used_at = st.optional_int64(4);
  return token;
}

void SqliteResetTokenStore::mark_used(std::string_view hash, Timestamp at) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "UPDATE reset_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL");
  st.bind(1, at);
  st.bind(2, hash);
  st.run();
}

std::int64_t SqliteResetTokenStore::void_all(std::int64_t user_id, Timestamp at) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "UPDATE reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL");
  st.bind(1, at);
  st.bind(2, user_id);
  st.run();
  return sqlite3_changes(tx_.conn.handle());
}

std::int64_t SqliteResetTokenStore::delete_ended(Timestamp before) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "DELETE FROM reset_tokens WHERE expires_at < ? OR used_at < ?");
  st.bind(1, before);
  st.bind(2, before);
  st.run();
  return sqlite3_changes(tx_.conn.handle());
}

}  // namespace taskcore::sqlite

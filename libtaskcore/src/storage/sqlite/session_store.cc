#include "storage/sqlite/rows.h"
#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {

void SqliteSessionStore::insert(const Session& session) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "INSERT INTO sessions (id, user_id, created_at, last_used_at, "
      "expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, std::string_view(session.id));
  st.bind(2, session.user_id);
  st.bind(3, session.created_at);
  st.bind(4, session.last_used_at);
  st.bind(5, session.expires_at);
  st.bind(6, session.revoked_at);
  st.run();
}

std::optional<Session> SqliteSessionStore::find(std::string_view id, RowLock) {
  static const std::string kSql =
      std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = ?";
  Statement st = tx_.conn.prepare(kSql);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_session(st);
}

void SqliteSessionStore::update(const Session& session) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "UPDATE sessions SET last_used_at = ?, expires_at = ?, revoked_at = ? "
      "WHERE id = ?");
  st.bind(1, session.last_used_at);
  st.bind(2, session.expires_at);
  st.bind(3, session.revoked_at);
  st.bind(4, std::string_view(session.id));
  st.run();
}

std::int64_t SqliteSessionStore::revoke_all(std::int64_t user_id, Timestamp at,
                                            std::string_view except_id) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "UPDATE sessions SET revoked_at = ? "
      "WHERE user_id = ? AND revoked_at IS NULL AND id <> ?");
  st.bind(1, at);
  st.bind(2, user_id);
  st.bind(3, except_id);
  st.run();
  return sqlite3_changes(tx_.conn.handle());
}

std::int64_t SqliteSessionStore::delete_ended(Timestamp before) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?");
  st.bind(1, before);
  st.bind(2, before);
  st.run();
  return sqlite3_changes(tx_.conn.handle());
}

void SqliteSessionStore::insert_refresh_token(const RefreshTokenRecord& token) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "INSERT INTO refresh_tokens (hash, session_id, issued_at, used_at) "
      "VALUES (?, ?, ?, ?)");
  st.bind(1, std::string_view(token.hash));
  st.bind(2, std::string_view(token.session_id));
  st.bind(3, token.issued_at);
  st.bind(4, token.used_at);
  st.run();
}

std::optional<RefreshTokenRecord> SqliteSessionStore::find_refresh_token(
    std::string_view hash, RowLock) {
  Statement st = tx_.conn.prepare(
      "SELECT hash, session_id, issued_at, used_at FROM refresh_tokens WHERE hash = ?");
  st.bind(1, hash);
  if (!st.step()) return std::nullopt;
  RefreshTokenRecord token;
  token.hash = st.text(0);
  token.session_id = st.text(1);
  token.issued_at = st.int64(2);
  token.used_at = st.optional_int64(3);
  return token;
}

void SqliteSessionStore::mark_refresh_token_used(std::string_view hash, Timestamp at) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL");
  st.bind(1, at);
  st.bind(2, hash);
  st.run();
}

}  // namespace taskcore::sqlite

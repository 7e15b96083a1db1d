#include "storage/postgres/rows.h"
#include "storage/postgres/transaction.h"

namespace taskcore::postgres {

void PgSessionStore::insert(const Session& session) {
  tx_.require_writable();
  tx_.conn.query(
      "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      Params()
          .add(std::string_view(session.id))
          .add(session.user_id)
          .add(session.created_at)
          .add(session.last_used_at)
          .add(session.expires_at)
          .add(session.revoked_at));
}

std::optional<Session> PgSessionStore::find(std::string_view id, RowLock lock) {
  static const std::string kSql =
      std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = $1";
  const Result r = tx_.conn.query(kSql + lock_clause(tx_, lock), Params().add(id));
  if (r.empty()) return std::nullopt;
  return read_session(r, 0);
}

void PgSessionStore::update(const Session& session) {
  tx_.require_writable();
  tx_.conn.query(
      "UPDATE sessions SET last_used_at = $1, expires_at = $2, revoked_at = $3 WHERE id = $4",
      Params()
          .add(session.last_used_at)
          .add(session.expires_at)
          .add(session.revoked_at)
          .add(std::string_view(session.id)));
}

std::int64_t PgSessionStore::revoke_all(std::int64_t user_id, Timestamp at,
                                        std::string_view except_id) {
  tx_.require_writable();
  return tx_.conn
      .query("UPDATE sessions SET revoked_at = $1 "
             "WHERE user_id = $2 AND revoked_at IS NULL AND id <> $3",
             Params().add(at).add(user_id).add(except_id))
      .affected();
}

std::int64_t PgSessionStore::delete_ended(Timestamp before) {
  tx_.require_writable();
  return tx_.conn
      .query("DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
             Params().add(before))
      .affected();
}

void PgSessionStore::insert_refresh_token(const RefreshTokenRecord& token) {
  tx_.require_writable();
  tx_.conn.query(
      "INSERT INTO refresh_tokens (hash, session_id, issued_at, used_at) "
      "VALUES ($1, $2, $3, $4)",
      Params()
          .add(std::string_view(token.hash))
          .add(std::string_view(token.session_id))
          .add(token.issued_at)
          .add(token.used_at));
}

std::optional<RefreshTokenRecord> PgSessionStore::find_refresh_token(std::string_view hash,
                                                                     RowLock lock) {
  const Result r = tx_.conn.query(
      std::string("SELECT hash, session_id, issued_at, used_at FROM refresh_tokens "
                  "WHERE hash = $1") +
          lock_clause(tx_, lock),
      Params().add(hash));
  if (r.empty()) return std::nullopt;
  RefreshTokenRecord token;
  token.hash = r.text(0, 0);
  token.session_id = r.text(0, 1);
  token.issued_at = r.int64(0, 2);
  token.used_at = r.optional_int64(0, 3);
  return token;
}

void PgSessionStore::mark_refresh_token_used(std::string_view hash, Timestamp at) {
  tx_.require_writable();
  tx_.conn.query("UPDATE refresh_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL",
                 Params().add(at).add(hash));
}

}  // namespace taskcore::postgres

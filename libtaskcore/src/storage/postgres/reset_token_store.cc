#include "storage/postgres/transaction.h"

namespace taskcore::postgres {

void PgResetTokenStore::insert(const ResetTokenRecord& token) {
  tx_.require_writable();
  tx_.conn.query(
      "INSERT INTO reset_tokens (hash, user_id, created_at, expires_at, used_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      Params()
          .add(std::string_view(token.hash))
          .add(token.user_id)
          .add(token.created_at)
          .add(token.expires_at)
          .add(token.used_at));
}

std::optional<ResetTokenRecord> PgResetTokenStore::find(std::string_view hash, RowLock lock) {
  const Result r = tx_.conn.query(
      std::string("SELECT hash, user_id, created_at, expires_at, used_at FROM reset_tokens "
                  "WHERE hash = $1") +
          lock_clause(tx_, lock),
      Params().add(hash));
  if (r.empty()) return std::nullopt;
  ResetTokenRecord token;
  token.hash = r.text(0, 0);
  token.user_id = r.int64(0, 1);
  token.created_at = r.int64(0, 2);
  token.expires_at = r.int64(0, 3);
  token.used_at = r.optional_int64(0, 4);
  return token;
}

void PgResetTokenStore::mark_used(std::string_view hash, Timestamp at) {
  tx_.require_writable();
  tx_.conn.query("UPDATE reset_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL",
                 Params().add(at).add(hash));
}

std::int64_t PgResetTokenStore::void_all(std::int64_t user_id, Timestamp at) {
  tx_.require_writable();
  return tx_.conn
      .query("UPDATE reset_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
             Params().add(at).add(user_id))
      .affected();
}

std::int64_t PgResetTokenStore::delete_ended(Timestamp before) {
  tx_.require_writable();
  return tx_.conn
      .query("DELETE FROM reset_tokens WHERE expires_at < $1 OR used_at < $1",
             Params().add(before))
      .affected();
}

}  // namespace taskcore::postgres

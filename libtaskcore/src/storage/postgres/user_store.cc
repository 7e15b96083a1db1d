#include "storage/postgres/rows.h"
#include "storage/postgres/transaction.h"
#include "storage/sql/user_query.h"

namespace taskcore::postgres {
namespace {

const std::string kSelectUser =
    std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1";
const std::string kSelectCredentials =
    std::string("SELECT ") + kCredentialColumns + " FROM users WHERE username = $1";

}  // namespace

std::optional<User> PgUserStore::find(std::int64_t id, RowLock lock) {
  const Result r = tx_.conn.query(kSelectUser + lock_clause(tx_, lock), Params().add(id));
  if (r.empty()) return std::nullopt;
  return read_user(r, 0);
}

std::optional<UserCredentials> PgUserStore::find_by_username(std::string_view username) {
  const Result r = tx_.conn.query(kSelectCredentials, Params().add(username));
  if (r.empty()) return std::nullopt;
  return read_credentials(r, 0);
}

bool PgUserStore::exists(std::int64_t id) {
  return !tx_.conn.query("SELECT 1 FROM users WHERE id = $1", Params().add(id)).empty();
}

UserUniqueField PgUserStore::taken(std::string_view username, std::string_view email,
                                   std::int64_t except_id) {
  if (!username.empty()) {
    const Result r = tx_.conn.query("SELECT 1 FROM users WHERE username = $1 AND id <> $2",
                                    Params().add(username).add(except_id));
    if (!r.empty()) return UserUniqueField::kUsername;
  }
  // The expression of the unique index users_email_lower (email is
  // COLLATE "C", so lower() folds ASCII only, as SQLite's NOCASE): the
  // answer here and the constraint agree.
  const Result r = tx_.conn.query(
      "SELECT 1 FROM users WHERE lower(email) = lower($1::text COLLATE \"C\") AND id <> $2",
      Params().add(email).add(except_id));
  return r.empty() ? UserUniqueField::kNone : UserUniqueField::kEmail;
}

// Concurrent writers can both pass the caller's taken() check; the unique
// indexes then fail the second insert with 23505, the store runs the
// closure again, and its taken() sees the committed row.
std::int64_t PgUserStore::insert(const NewUserRecord& record) {
  tx_.require_writable();
  const Result r = tx_.conn.query(
      "INSERT INTO users (username, email, password_hash, role, is_active, date_joined) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      Params()
          .add(std::string_view(record.username))
          .add(std::string_view(record.email))
          .add(std::string_view(record.password_hash))
          .add(role_name(record.role))
          .add(record.is_active)
          .add(record.date_joined));
  return r.int64(0, 0);
}

void PgUserStore::update(const User& user) {
  tx_.require_writable();
  tx_.conn.query("UPDATE users SET email = $1, role = $2, is_active = $3 WHERE id = $4",
                 Params()
                     .add(std::string_view(user.email))
                     .add(role_name(user.role))
                     .add(user.is_active)
                     .add(user.id));
}

void PgUserStore::set_password_hash(std::int64_t id, std::string_view hash) {
  tx_.require_writable();
  tx_.conn.query("UPDATE users SET password_hash = $1 WHERE id = $2",
                 Params().add(hash).add(id));
}

void PgUserStore::set_last_login(std::int64_t id, Timestamp at) {
  tx_.require_writable();
  tx_.conn.query("UPDATE users SET last_login = $1 WHERE id = $2", Params().add(at).add(id));
}

// Locks every active admin's row, in id order. A concurrent demotion
// waits for these locks, then (READ COMMITTED re-checks a row it waited
// for) no longer counts the admin this transaction demoted.
std::int64_t PgUserStore::count_active_admins_locked() {
  const Result r = tx_.conn.query(
      std::string("SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id") +
      lock_clause(tx_, RowLock::kForUpdate));
  return r.rows();
}

Page<User> PgUserStore::query(const UserFilter& filter, const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_user_select(filter, sql::Dialect::kPostgres, kUserColumns, page);
  return paged_query<User>(tx_, select, page, read_user, false);
}

}  // namespace taskcore::postgres

#include "storage/sql/user_query.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {
namespace {

const std::string kSelectUser =
    std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?";
const std::string kSelectCredentials =
    std::string("SELECT ") + kCredentialColumns + " FROM users WHERE username = ?";

}  // namespace

std::optional<User> SqliteUserStore::find(std::int64_t id, RowLock) {
  Statement st = tx_.conn.prepare(kSelectUser);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

std::optional<UserCredentials> SqliteUserStore::find_by_username(
    std::string_view username) {
  Statement st = tx_.conn.prepare(kSelectCredentials);
  st.bind(1, username);
  if (!st.step()) return std::nullopt;
  return read_credentials(st);
}

bool SqliteUserStore::exists(std::int64_t id) {
  Statement st = tx_.conn.prepare("SELECT 1 FROM users WHERE id = ?");
  st.bind(1, id);
  return st.step();
}

UserUniqueField SqliteUserStore::taken(std::string_view username,
                                       std::string_view email,
                                       std::int64_t except_id) {
  if (!username.empty()) {
    Statement st = tx_.conn.prepare("SELECT 1 FROM users WHERE username = ? AND id <> ?");
    st.bind(1, username);
    st.bind(2, except_id);
    if (st.step()) return UserUniqueField::kUsername;
  }
  // Matches the unique index users_email_nocase, so the answer here and
  // the constraint agree.
  Statement st = tx_.conn.prepare(
      "SELECT 1 FROM users WHERE email = ? COLLATE NOCASE AND id <> ?");
  st.bind(1, email);
  st.bind(2, except_id);
  return st.step() ? UserUniqueField::kEmail : UserUniqueField::kNone;
}

// SQLite has one writer, and BEGIN IMMEDIATE holds its lock from the
// caller's taken() check to this insert: nothing can slip in between.
std::int64_t SqliteUserStore::insert(const NewUserRecord& record) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "INSERT INTO users (username, email, password_hash, role, is_active, "
      "date_joined) VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, std::string_view(record.username));
  st.bind(2, std::string_view(record.email));
  st.bind(3, std::string_view(record.password_hash));
  st.bind(4, role_name(record.role));
  st.bind(5, record.is_active);
  st.bind(6, record.date_joined);
  st.run();
  return sqlite3_last_insert_rowid(tx_.conn.handle());
}

void SqliteUserStore::update(const User& user) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "UPDATE users SET email = ?, role = ?, is_active = ? WHERE id = ?");
  st.bind(1, std::string_view(user.email));
  st.bind(2, role_name(user.role));
  st.bind(3, user.is_active);
  st.bind(4, user.id);
  st.run();
}

void SqliteUserStore::set_password_hash(std::int64_t id, std::string_view hash) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  st.bind(1, hash);
  st.bind(2, id);
  st.run();
}

void SqliteUserStore::set_last_login(std::int64_t id, Timestamp at) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare("UPDATE users SET last_login = ? WHERE id = ?");
  st.bind(1, at);
  st.bind(2, id);
  st.run();
}

// One writer at a time: the count cannot change before this transaction
// commits, so it needs no lock of its own.
std::int64_t SqliteUserStore::count_active_admins_locked() {
  Statement st = tx_.conn.prepare(
      "SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1");
  return st.step() ? st.int64(0) : 0;
}

Page<User> SqliteUserStore::query(const UserFilter& filter, const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_user_select(filter, sql::Dialect::kSqlite, kUserColumns, page);
  return paged_query<User>(tx_, select, page, read_user, false);
}

}  // namespace taskcore::sqlite

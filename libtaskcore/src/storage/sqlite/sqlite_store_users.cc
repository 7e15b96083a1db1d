#include <string>

#include "storage/sql/user_query.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store_impl.h"

namespace taskcore::sqlite {
namespace {

const std::string kSelectUser =
    std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?";

Error username_taken() {
  return Error::conflict("A user with that username already exists.",
                         {{"username", {"A user with that username already exists."}}});
}

Error email_taken() {
  return Error::conflict("A user with that email already exists.",
                         {{"email", {"A user with that email already exists."}}});
}

bool username_exists(Connection& conn, std::string_view username) {
  Statement st = conn.prepare("SELECT 1 FROM users WHERE username = ?");
  st.bind(1, username);
  return st.step();
}

// Matches the unique index users_email_nocase, so the answer here and the
// constraint agree.
bool email_taken_by_other(Connection& conn, std::string_view email,
                          std::int64_t except_id) {
  Statement st = conn.prepare(
      "SELECT 1 FROM users WHERE email = ? COLLATE NOCASE AND id <> ?");
  st.bind(1, email);
  st.bind(2, except_id);
  return st.step();
}

std::optional<User> load_user(Connection& conn, std::int64_t id) {
  Statement st = conn.prepare(kSelectUser);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

// A unique violation that slipped past the explicit checks (another
// process inserting between check and write) still gets the right answer.
[[noreturn]] void rethrow_unique(Connection& conn, const DatabaseError& error) {
  if (error.extended_code() != SQLITE_CONSTRAINT_UNIQUE) throw error;
  const std::string_view message = sqlite3_errmsg(conn.handle());
  if (message.find("username") != std::string_view::npos) throw username_taken();
  throw email_taken();
}

}  // namespace

User SqliteStore::insert_user(const NewUserRecord& record) {
  return db_.write([&](Connection& conn) {
    if (username_exists(conn, record.username)) throw username_taken();
    if (email_taken_by_other(conn, record.email, 0)) throw email_taken();
    Statement st = conn.prepare(
        "INSERT INTO users (username, email, password_hash, role, is_active, "
        "date_joined) VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(1, std::string_view(record.username));
    st.bind(2, std::string_view(record.email));
    st.bind(3, std::string_view(record.password_hash));
    st.bind(4, role_name(record.role));
    st.bind(5, record.is_active);
    st.bind(6, record.date_joined);
    try {
      st.run();
    } catch (const DatabaseError& e) {
      rethrow_unique(conn, e);
    }
    User user;
    user.id = sqlite3_last_insert_rowid(conn.handle());
    user.username = record.username;
    user.email = record.email;
    user.role = record.role;
    user.is_active = record.is_active;
    user.date_joined = record.date_joined;
    return user;
  });
}

std::optional<User> SqliteStore::find_user(std::int64_t id) {
  return db_.read([&](Connection& conn) { return load_user(conn, id); });
}

std::optional<UserCredentials> SqliteStore::find_credentials(
    std::string_view username) {
  return db_.read([&](Connection& conn) -> std::optional<UserCredentials> {
    static const std::string kSql = std::string("SELECT ") +
                                    kCredentialColumns +
                                    " FROM users WHERE username = ?";
    Statement st = conn.prepare(kSql);
    st.bind(1, username);
    if (!st.step()) return std::nullopt;
    return read_credentials(st);
  });
}

User SqliteStore::update_user(
    std::int64_t id,
    const std::function<void(User& user, std::int64_t active_admins)>& change) {
  return db_.write([&](Connection& conn) {
    std::optional<User> stored = load_user(conn, id);
    if (!stored) throw Error::not_found();
    std::int64_t active_admins = 0;
    {
      Statement st = conn.prepare(
          "SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1");
      if (st.step()) active_admins = st.int64(0);
    }
    User changed = *stored;
    change(changed, active_admins);

    // Only these three are the caller's to change; the rest stay as stored.
    User result = *stored;
    result.email = std::move(changed.email);
    result.role = changed.role;
    result.is_active = changed.is_active;
    if (email_taken_by_other(conn, result.email, id)) throw email_taken();
    Statement st = conn.prepare(
        "UPDATE users SET email = ?, role = ?, is_active = ? WHERE id = ?");
    st.bind(1, std::string_view(result.email));
    st.bind(2, role_name(result.role));
    st.bind(3, result.is_active);
    st.bind(4, id);
    try {
      st.run();
    } catch (const DatabaseError& e) {
      rethrow_unique(conn, e);
    }
    return result;
  });
}

void SqliteStore::record_login(std::int64_t user_id, Timestamp at) {
  db_.write([&](Connection& conn) {
    Statement st = conn.prepare("UPDATE users SET last_login = ? WHERE id = ?");
    st.bind(1, at);
    st.bind(2, user_id);
    st.run();
  });
}

Page<User> SqliteStore::list_users(const UserFilter& filter,
                                   const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_user_select(filter, sql::Dialect::kSqlite, kUserColumns, page);
  Page<User> result;
  result.request = page;
  db_.read_snapshot([&](Connection& conn) {
    Statement count_st = conn.prepare(select.count_sql);
    count_st.bind_all(select.params, select.filter_param_count);
    result.count = count_st.step() ? count_st.int64(0) : 0;
    if (result.count <= page.offset()) return;
    Statement st = conn.prepare(select.page_sql);
    st.bind_all(select.params, select.params.size());
    while (st.step()) result.items.push_back(read_user(st));
  });
  return result;
}

}  // namespace taskcore::sqlite

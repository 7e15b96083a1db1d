#pragma once

#include <memory>

#include "storage/sql/dialect.h"
#include "storage/sqlite/database.h"
#include "taskcore/sqlite_store.h"

namespace taskcore::sqlite {

// The Store over SQLite. Method bodies live in sqlite_store*.cc by area.
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const SqliteOptions& options) : db_(options) {}

  User insert_user(const NewUserRecord& record) override;
  std::optional<User> find_user(std::int64_t id) override;
  std::optional<UserCredentials> find_credentials(
      std::string_view username) override;
  User update_user(
      std::int64_t id,
      const std::function<void(User& user, std::int64_t active_admins)>&
          change) override;
  void record_login(std::int64_t user_id, Timestamp at) override;
  Page<User> list_users(const UserFilter& filter,
                        const PageRequest& page) override;

  void insert_session(const Session& session) override;
  std::optional<Session> find_session(std::string_view id) override;

  Task insert_task(const Task& task) override;
  std::optional<Task> find_task(std::int64_t id) override;
  Task update_task(std::int64_t id,
                   const std::function<void(Task& task)>& change) override;
  Task delete_task(std::int64_t id,
                   const std::function<void(const Task& task)>& check) override;
  BatchOutcome update_tasks(
      const std::vector<std::int64_t>& ids,
      const std::function<void(Task& task)>& change) override;
  BatchOutcome delete_tasks(
      const std::vector<std::int64_t>& ids,
      const std::function<void(const Task& task)>& check) override;
  std::vector<Task> insert_tasks(const std::vector<Task>& tasks) override;
  Page<Task> query_tasks(const TaskFilter& filter,
                         const PageRequest& page) override;

  std::string setting_or_insert(std::string_view key,
                                std::string_view value_if_absent) override;
  void check_health() override;

 private:
  // COUNT(*) of a paged select, reusing the connection's cached result while
  // the database is unchanged (a count walks every matching row; the page
  // query only reads one page).
  std::int64_t count(Connection& conn, const sql::PagedSelect& select);

  Database db_;
};

}  // namespace taskcore::sqlite

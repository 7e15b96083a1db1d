#pragma once

// A Store that forwards to another one and fails on demand (LevelDB's
// EnvWrapper idea), so tests can provoke internal errors over HTTP.
// Every Store method must be forwarded here; a new one is a compile error
// until it is.

#include <atomic>
#include <memory>
#include <stdexcept>
#include <vector>

#include "taskcore/store.h"

namespace taskcore::server::testing {

class FaultyStore final : public Store {
 public:
  explicit FaultyStore(std::shared_ptr<Store> inner) : inner_(std::move(inner)) {}

  // Task reads throw a runtime_error whose text must never reach a client.
  std::atomic<bool> fail_task_reads{false};
  // check_health() reports the database down.
  std::atomic<bool> fail_health{false};

  static constexpr const char* kSecret = "SELECT secret FROM /etc/passwd";

  User insert_user(const NewUserRecord& record) override {
    return inner_->insert_user(record);
  }
  std::optional<User> find_user(std::int64_t id) override {
    return inner_->find_user(id);
  }
  std::optional<UserCredentials> find_credentials(std::string_view username) override {
    return inner_->find_credentials(username);
  }
  User update_user(std::int64_t id,
                   const std::function<void(User&, std::int64_t)>& change) override {
    return inner_->update_user(id, change);
  }
  void record_login(std::int64_t user_id, Timestamp at) override {
    inner_->record_login(user_id, at);
  }
  Page<User> list_users(const UserFilter& filter, const PageRequest& page) override {
    return inner_->list_users(filter, page);
  }
  void insert_session(const Session& session) override {
    inner_->insert_session(session);
  }
  std::optional<Session> find_session(std::string_view id) override {
    return inner_->find_session(id);
  }
  Task insert_task(const Task& task) override { return inner_->insert_task(task); }
  std::optional<Task> find_task(std::int64_t id) override {
    if (fail_task_reads) throw std::runtime_error(kSecret);
    return inner_->find_task(id);
  }
  Task update_task(std::int64_t id,
                   const std::function<void(Task&)>& change) override {
    return inner_->update_task(id, change);
  }
  Task delete_task(std::int64_t id,
                   const std::function<void(const Task&)>& check) override {
    return inner_->delete_task(id, check);
  }
  BatchOutcome update_tasks(const std::vector<std::int64_t>& ids,
                            const std::function<void(Task&)>& change) override {
    return inner_->update_tasks(ids, change);
  }
  BatchOutcome delete_tasks(const std::vector<std::int64_t>& ids,
                            const std::function<void(const Task&)>& check) override {
    return inner_->delete_tasks(ids, check);
  }
  std::vector<Task> insert_tasks(const std::vector<Task>& tasks) override {
    return inner_->insert_tasks(tasks);
  }
  Page<Task> query_tasks(const TaskFilter& filter, const PageRequest& page) override {
    if (fail_task_reads) throw std::runtime_error(kSecret);
    return inner_->query_tasks(filter, page);
  }
  std::string setting_or_insert(std::string_view key,
                                std::string_view value_if_absent) override {
    return inner_->setting_or_insert(key, value_if_absent);
  }
  void check_health() override {
    if (fail_health)
      throw Error(ErrorCode::kServiceUnavailable, "Database unavailable.");
    inner_->check_health();
  }

 private:
  std::shared_ptr<Store> inner_;
};

}  // namespace taskcore::server::testing

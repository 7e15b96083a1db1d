#pragma once

// The SQLite transaction and its per-domain stores. Each domain's methods
// live in <domain>_store.cc; all of them run on the one connection the
// transaction was given.

#include <functional>
#include <vector>

#include "storage/sql/dialect.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/task_index_sync.h"
#include "taskcore/store.h"

namespace taskcore::sqlite {

// What the domain stores of one transaction share.
struct TxContext {
  Database& db;
  Connection& conn;
  bool writable;
  // The in-memory task index (null when switched off), and in a write
  // transaction the list its changes go to.
  TaskIndexSync* index = nullptr;
  std::vector<TaskChange>* task_changes = nullptr;

  // Throws Error(kInternalError) in a read snapshot.
  void require_writable() const;
};

class SqliteTaskStore final : public TaskStore {
 public:
  explicit SqliteTaskStore(TxContext& tx) : tx_(tx) {}
  std::optional<Task> find(std::int64_t id, RowLock lock) override;
  std::vector<Task> find_many(std::span<const std::int64_t> ids, RowLock lock) override;
  std::int64_t insert(const Task& task) override;
  void update(const Task& before, const Task& after) override;
  void update_many(std::span<const Task> before, std::span<const Task> after) override;
  void remove(std::int64_t id) override;
  void remove_many(std::span<const std::int64_t> ids) override;
  Page<Task> query(const TaskFilter& filter, const PageRequest& page) override;

 private:
  std::optional<std::vector<Task>> rows_of(const std::vector<std::int64_t>& ids);

  TxContext& tx_;
};

class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(TxContext& tx) : tx_(tx) {}
  std::optional<User> find(std::int64_t id, RowLock lock) override;
  std::optional<UserCredentials> find_by_username(std::string_view username) override;
  bool exists(std::int64_t id) override;
  UserUniqueField taken(std::string_view username, std::string_view email,
                        std::int64_t except_id) override;
  std::int64_t insert(const NewUserRecord& record) override;
  void update(const User& user) override;
  void set_password_hash(std::int64_t id, std::string_view hash) override;
  void set_last_login(std::int64_t id, Timestamp at) override;
  std::int64_t count_active_admins_locked() override;
  Page<User> query(const UserFilter& filter, const PageRequest& page) override;

 private:
  TxContext& tx_;
};

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(TxContext& tx) : tx_(tx) {}
  void insert(const Session& session) override;
  std::optional<Session> find(std::string_view id, RowLock lock) override;
  void update(const Session& session) override;
  std::int64_t revoke_all(std::int64_t user_id, Timestamp at,
                          std::string_view except_id) override;
  std::int64_t delete_ended(Timestamp before) override;
  void insert_refresh_token(const RefreshTokenRecord& token) override;
  std::optional<RefreshTokenRecord> find_refresh_token(std::string_view hash,
                                                       RowLock lock) override;
  void mark_refresh_token_used(std::string_view hash, Timestamp at) override;

 private:
  TxContext& tx_;
};

class SqliteResetTokenStore final : public ResetTokenStore {
 public:
  explicit SqliteResetTokenStore(TxContext& tx) : tx_(tx) {}
  void insert(const ResetTokenRecord& token) override;
  std::optional<ResetTokenRecord> find(std::string_view hash, RowLock lock) override;
  void mark_used(std::string_view hash, Timestamp at) override;
  std::int64_t void_all(std::int64_t user_id, Timestamp at) override;
  std::int64_t delete_ended(Timestamp before) override;

 private:
  TxContext& tx_;
};

class SqliteSettingStore final : public SettingStore {
 public:
  explicit SqliteSettingStore(TxContext& tx) : tx_(tx) {}
  std::optional<std::string> get(std::string_view key) override;
  bool insert_if_absent(std::string_view key, std::string_view value) override;

 private:
  TxContext& tx_;
};

class SqliteAuditStore final : public AuditStore {
 public:
  explicit SqliteAuditStore(TxContext& tx) : tx_(tx) {}
  std::int64_t append(const AuditEntry& entry) override;
  Page<AuditEntry> query(const AuditFilter& filter, const PageRequest& page) override;

 private:
  TxContext& tx_;
};

class SqliteOutboxStore final : public OutboxStore {
 public:
  explicit SqliteOutboxStore(TxContext& tx) : tx_(tx) {}
  std::int64_t append(std::int64_t count, Timestamp at, std::string_view payload) override;
  std::vector<OutboxRecord> read_after(std::int64_t sequence,
                                       std::size_t max_records) override;
  std::int64_t last_sequence() override;
  std::int64_t first_sequence() override;
  std::int64_t prune(std::int64_t up_to, Timestamp before) override;

 private:
  TxContext& tx_;
};

class SqliteMediaStore final : public MediaStore {
 public:
  explicit SqliteMediaStore(TxContext& tx) : tx_(tx) {}
  std::optional<MediaFile> find(std::int64_t id, RowLock lock) override;
  std::vector<std::int64_t> existing(const std::vector<std::int64_t>& ids) override;
  std::int64_t insert(const MediaFile& file) override;
  void remove(std::int64_t id) override;
  Page<MediaFile> query(const MediaFilter& filter, const PageRequest& page) override;
  bool references(const std::string& stored_name) override;

 private:
  TxContext& tx_;
};

class SqlitePostStore final : public PostStore {
 public:
  explicit SqlitePostStore(TxContext& tx) : tx_(tx) {}
  std::optional<Post> find(std::int64_t id, RowLock lock) override;
  std::int64_t insert(const Post& post) override;
  void update(const Post& post) override;
  void remove(std::int64_t id) override;
  Page<Post> query(const PostFilter& filter, const PostVisibility& visibility,
                   const PageRequest& page) override;
  std::vector<std::string> slugs_with_base(const std::string& base) override;
  std::vector<std::int64_t> referencing(std::int64_t media_id) override;
  void drop_media(std::int64_t media_id) override;

 private:
  TxContext& tx_;
};

class SqliteSystemStatsStore final : public SystemStatsStore {
 public:
  explicit SqliteSystemStatsStore(TxContext& tx) : tx_(tx) {}
  std::int64_t insert_sample(const SystemSample& sample) override;
  Page<SystemSample> query_samples(const StatsFilter& filter, const PageRequest& page) override;
  std::optional<SystemSample> latest_sample(const std::optional<std::string>& hostname) override;
  std::vector<HourlyAggregate> fold_samples(const StatsFilter& filter) override;
  std::int64_t count_samples_before(Timestamp before) override;
  std::optional<Timestamp> oldest_sample() override;
  std::int64_t delete_samples(Timestamp from, Timestamp to) override;
  std::vector<HourlyAggregate> query_aggregates(const StatsFilter& filter) override;
  void upsert_aggregates(std::span<const HourlyAggregate> aggregates) override;
  std::int64_t delete_aggregates_before(Timestamp before) override;

 private:
  TxContext& tx_;
};

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(Database& db, Connection& conn, bool writable,
                    TaskIndexSync* index = nullptr,
                    std::vector<TaskChange>* task_changes = nullptr)
      : ctx_{db, conn, writable, index, task_changes},
        tasks_(ctx_),
        users_(ctx_),
        sessions_(ctx_),
        reset_tokens_(ctx_),
        settings_(ctx_),
        audit_(ctx_),
        outbox_(ctx_),
        media_(ctx_),
        posts_(ctx_),
        system_stats_(ctx_) {}

  TaskStore& tasks() override { return tasks_; }
  UserStore& users() override { return users_; }
  SessionStore& sessions() override { return sessions_; }
  ResetTokenStore& reset_tokens() override { return reset_tokens_; }
  SettingStore& settings() override { return settings_; }
  AuditStore& audit() override { return audit_; }
  OutboxStore& outbox() override { return outbox_; }
  MediaStore& media() override { return media_; }
  PostStore& posts() override { return posts_; }
  SystemStatsStore& system_stats() override { return system_stats_; }
  bool writable() const override { return ctx_.writable; }
  void on_commit(std::function<void()> callback) override {
    callbacks_.push_back(std::move(callback));
  }

  std::vector<std::function<void()>> take_commit_callbacks() {
    return std::move(callbacks_);
  }

 private:
  TxContext ctx_;
  SqliteTaskStore tasks_;
  SqliteUserStore users_;
  SqliteSessionStore sessions_;
  SqliteResetTokenStore reset_tokens_;
  SqliteSettingStore settings_;
  SqliteAuditStore audit_;
  SqliteOutboxStore outbox_;
  SqliteMediaStore media_;
  SqlitePostStore posts_;
  SqliteSystemStatsStore system_stats_;
  std::vector<std::function<void()>> callbacks_;
};

// The count of a paged select, reusing the connection's cached result while
// the database is unchanged (a count walks every matching row; the page
// query only reads one page).
std::int64_t cached_count(TxContext& tx, const sql::PagedSelect& select);

// Reads the page rows of `select` with `read_row`, after its count.
template <class T, class ReadRow>
Page<T> paged_query(TxContext& tx, const sql::PagedSelect& select,
                    const PageRequest& page, ReadRow read_row, bool cache_count) {
  Page<T> result;
  result.request = page;
  if (select.matches_nothing) return result;
  if (cache_count) {
    result.count = cached_count(tx, select);
  } else {
    Statement count = tx.conn.prepare(select.count_sql);
    count.bind_all(select.params, select.filter_param_count);
    result.count = count.step() ? count.int64(0) : 0;
  }
  if (result.count <= page.offset() || page.page_size <= 0) return result;
  Statement st = tx.conn.prepare(select.page_sql);
  st.bind_all(select.params, select.params.size());
  while (st.step()) result.items.push_back(read_row(st));
  return result;
}

}  // namespace taskcore::sqlite

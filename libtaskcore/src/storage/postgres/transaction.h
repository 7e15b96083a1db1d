#pragma once

// The PostgreSQL transaction and its per-domain stores. Each domain's
// methods live in <domain>_store.cc; all of them run on the one pooled
// connection the transaction holds.

#include <functional>
#include <vector>

#include "storage/postgres/connection.h"
#include "storage/postgres/count_cache.h"
#include "storage/sql/dialect.h"
#include "taskcore/store.h"

namespace taskcore::postgres {

// What the domain stores of one transaction share.
struct TxContext {
  Connection& conn;
  bool writable;
  CountCache& counts;

  // Throws Error(kInternalError) in a read snapshot.
  void require_writable() const;
};

class PgTaskStore final : public TaskStore {
 public:
  explicit PgTaskStore(TxContext& tx) : tx_(tx) {}
  std::optional<Task> find(std::int64_t id, RowLock lock) override;
  std::vector<Task> find_many(std::span<const std::int64_t> ids, RowLock lock) override;
  std::int64_t insert(const Task& task) override;
  void update(const Task& before, const Task& after) override;
  void update_many(std::span<const Task> before, std::span<const Task> after) override;
  void remove(std::int64_t id) override;
  void remove_many(std::span<const std::int64_t> ids) override;
  Page<Task> query(const TaskFilter& filter, const PageRequest& page) override;

 private:
  TxContext& tx_;
};

class PgUserStore final : public UserStore {
 public:
  explicit PgUserStore(TxContext& tx) : tx_(tx) {}
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

class PgSessionStore final : public SessionStore {
 public:
  explicit PgSessionStore(TxContext& tx) : tx_(tx) {}
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

class PgResetTokenStore final : public ResetTokenStore {
 public:
  explicit PgResetTokenStore(TxContext& tx) : tx_(tx) {}
  void insert(const ResetTokenRecord& token) override;
  std::optional<ResetTokenRecord> find(std::string_view hash, RowLock lock) override;
  void mark_used(std::string_view hash, Timestamp at) override;
  std::int64_t void_all(std::int64_t user_id, Timestamp at) override;
  std::int64_t delete_ended(Timestamp before) override;

 private:
  TxContext& tx_;
};

class PgSettingStore final : public SettingStore {
 public:
  explicit PgSettingStore(TxContext& tx) : tx_(tx) {}
  std::optional<std::string> get(std::string_view key) override;
  bool insert_if_absent(std::string_view key, std::string_view value) override;

 private:
  TxContext& tx_;
};

class PgAuditStore final : public AuditStore {
 public:
  explicit PgAuditStore(TxContext& tx) : tx_(tx) {}
  std::int64_t append(const AuditEntry& entry) override;
  Page<AuditEntry> query(const AuditFilter& filter, const PageRequest& page) override;

 private:
  TxContext& tx_;
};

class PgOutboxStore final : public OutboxStore {
 public:
  explicit PgOutboxStore(TxContext& tx) : tx_(tx) {}
  std::int64_t append(std::int64_t count, Timestamp at, std::string_view payload) override;
  std::vector<OutboxRecord> read_after(std::int64_t sequence,
                                       std::size_t max_records) override;
  std::int64_t last_sequence() override;
  std::int64_t first_sequence() override;
  std::int64_t prune(std::int64_t up_to, Timestamp before) override;

 private:
  TxContext& tx_;
};

class PgMediaStore final : public MediaStore {
 public:
  explicit PgMediaStore(TxContext& tx) : tx_(tx) {}
  std::optional<MediaFile> find(std::int64_t id, RowLock lock) override;
  std::vector<std::int64_t> existing(const std::vector<std::int64_t>& ids) override;
  std::int64_t insert(const MediaFile& file) override;
  void remove(std::int64_t id) override;
  Page<MediaFile> query(const MediaFilter& filter, const PageRequest& page) override;
  bool references(const std::string& stored_name) override;

 private:
  TxContext& tx_;
};

class PgPostStore final : public PostStore {
 public:
  explicit PgPostStore(TxContext& tx) : tx_(tx) {}
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

class PgSystemStatsStore final : public SystemStatsStore {
 public:
  explicit PgSystemStatsStore(TxContext& tx) : tx_(tx) {}
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

class PgTransaction final : public Transaction {
 public:
  PgTransaction(Connection& conn, bool writable, CountCache& counts)
      : ctx_{conn, writable, counts},
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
  PgTaskStore tasks_;
  PgUserStore users_;
  PgSessionStore sessions_;
  PgResetTokenStore reset_tokens_;
  PgSettingStore settings_;
  PgAuditStore audit_;
  PgOutboxStore outbox_;
  PgMediaStore media_;
  PgPostStore posts_;
  PgSystemStatsStore system_stats_;
  std::vector<std::function<void()>> callbacks_;
};

// " FOR UPDATE" for RowLock::kForUpdate inside a write transaction.
inline const char* lock_clause(const TxContext& tx, RowLock lock) {
  return lock == RowLock::kForUpdate && tx.writable ? " FOR UPDATE" : "";
}

// The count of `select`, from `tx.counts` when `cache` allows and the
// snapshot is unchanged (see CountCache).
std::int64_t count_rows(TxContext& tx, const sql::PagedSelect& select, bool cache);

// Runs the count and, when the page is in range, the page of `select`,
// reading rows with read_row(result, row).
template <class T, class ReadRow>
Page<T> paged_query(TxContext& tx, const sql::PagedSelect& select,
                    const PageRequest& page, ReadRow read_row, bool cache_count) {
  Page<T> result;
  result.request = page;
  if (select.matches_nothing) return result;
  result.count = count_rows(tx, select, cache_count);
  if (result.count <= page.offset() || page.page_size <= 0) return result;
  Params params;
  for (const sql::SqlValue& value : select.params) params.add(value);
  const Result rows = tx.conn.query(select.page_sql, params);
  result.items.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) result.items.push_back(read_row(rows, row));
  return result;
}

}  // namespace taskcore::postgres

#pragma once

// Forwarding wrappers of the Store, its Transaction and each domain
// interface (LevelDB's EnvWrapper idea): every call goes to the wrapped
// object, so a test overrides one method to inject a fault and proves that
// nothing is half-written. For example, an audit log that fails:
//
//   struct FailingAudit : AuditStoreWrapper {
//     using AuditStoreWrapper::AuditStoreWrapper;
//     std::int64_t append(const AuditEntry&) override { throw Error::internal(); }
//   };
//   struct Faulty : StoreWrapper {
//     using StoreWrapper::StoreWrapper;
//     void within_write(Transaction& tx, const TransactionFn& fn) override {
//       FailingAudit audit(tx.audit());
//       TransactionWrapper wrapped(tx);
//       wrapped.replace_audit(&audit);
//       fn(wrapped);
//     }
//   };

#include <memory>
#include <utility>

#include "taskcore/export.h"
#include "taskcore/store.h"

namespace taskcore {

class TASKCORE_EXPORT TaskStoreWrapper : public TaskStore {
 public:
  explicit TaskStoreWrapper(TaskStore& target) : target_(target) {}
  std::optional<Task> find(std::int64_t id, RowLock lock) override {
    return target_.find(id, lock);
  }
  std::vector<Task> find_many(std::span<const std::int64_t> ids, RowLock lock) override {
    return target_.find_many(ids, lock);
  }
  std::int64_t insert(const Task& task) override { return target_.insert(task); }
  void update(const Task& before, const Task& after) override {
    target_.update(before, after);
  }
  void update_many(std::span<const Task> before, std::span<const Task> after) override {
    target_.update_many(before, after);
  }
  void remove(std::int64_t id) override { target_.remove(id); }
  void remove_many(std::span<const std::int64_t> ids) override { target_.remove_many(ids); }
  Page<Task> query(const TaskFilter& filter, const PageRequest& page) override {
    return target_.query(filter, page);
  }

 protected:
  TaskStore& target_;
};

class TASKCORE_EXPORT UserStoreWrapper : public UserStore {
 public:
  explicit UserStoreWrapper(UserStore& target) : target_(target) {}
  std::optional<User> find(std::int64_t id, RowLock lock) override {
    return target_.find(id, lock);
  }
  std::optional<UserCredentials> find_by_username(std::string_view username) override {
    return target_.find_by_username(username);
  }
  bool exists(std::int64_t id) override { return target_.exists(id); }
  UserUniqueField taken(std::string_view username, std::string_view email,
                        std::int64_t except_id) override {
    return target_.taken(username, email, except_id);
  }
  std::int64_t insert(const NewUserRecord& record) override { return target_.insert(record); }
  void update(const User& user) override { target_.update(user); }
  void set_password_hash(std::int64_t id, std::string_view hash) override {
    target_.set_password_hash(id, hash);
  }
  void set_last_login(std::int64_t id, Timestamp at) override {
    target_.set_last_login(id, at);
  }
  std::int64_t count_active_admins_locked() override {
    return target_.count_active_admins_locked();
  }
  Page<User> query(const UserFilter& filter, const PageRequest& page) override {
    return target_.query(filter, page);
  }

 protected:
  UserStore& target_;
};

class TASKCORE_EXPORT SessionStoreWrapper : public SessionStore {
 public:
  explicit SessionStoreWrapper(SessionStore& target) : target_(target) {}
  void insert(const Session& session) override { target_.insert(session); }
  std::optional<Session> find(std::string_view id, RowLock lock) override {
    return target_.find(id, lock);
  }
  void update(const Session& session) override { target_.update(session); }
  std::int64_t revoke_all(std::int64_t user_id, Timestamp at,
                          std::string_view except_id) override {
    return target_.revoke_all(user_id, at, except_id);
  }
  std::int64_t delete_ended(Timestamp before) override {
    return target_.delete_ended(before);
  }
  void insert_refresh_token(const RefreshTokenRecord& token) override {
    target_.insert_refresh_token(token);
  }
  std::optional<RefreshTokenRecord> find_refresh_token(std::string_view hash,
                                                       RowLock lock) override {
    return target_.find_refresh_token(hash, lock);
  }
  void mark_refresh_token_used(std::string_view hash, Timestamp at) override {
    target_.mark_refresh_token_used(hash, at);
  }

 protected:
  SessionStore& target_;
};

class TASKCORE_EXPORT ResetTokenStoreWrapper : public ResetTokenStore {
 public:
  explicit ResetTokenStoreWrapper(ResetTokenStore& target) : target_(target) {}
  void insert(const ResetTokenRecord& token) override { target_.insert(token); }
  std::optional<ResetTokenRecord> find(std::string_view hash, RowLock lock) override {
    return target_.find(hash, lock);
  }
  void mark_used(std::string_view hash, Timestamp at) override { target_.mark_used(hash, at); }
  std::int64_t void_all(std::int64_t user_id, Timestamp at) override {
    return target_.void_all(user_id, at);
  }
  std::int64_t delete_ended(Timestamp before) override { return target_.delete_ended(before); }

 protected:
  ResetTokenStore& target_;
};

class TASKCORE_EXPORT SettingStoreWrapper : public SettingStore {
 public:
  explicit SettingStoreWrapper(SettingStore& target) : target_(target) {}
  std::optional<std::string> get(std::string_view key) override { return target_.get(key); }
  bool insert_if_absent(std::string_view key, std::string_view value) override {
    return target_.insert_if_absent(key, value);
  }

 protected:
  SettingStore& target_;
};

class TASKCORE_EXPORT AuditStoreWrapper : public AuditStore {
 public:
  explicit AuditStoreWrapper(AuditStore& target) : target_(target) {}
  std::int64_t append(const AuditEntry& entry) override { return target_.append(entry); }
  Page<AuditEntry> query(const AuditFilter& filter, const PageRequest& page) override {
    return target_.query(filter, page);
  }

 protected:
  AuditStore& target_;
};

class TASKCORE_EXPORT OutboxStoreWrapper : public OutboxStore {
 public:
  explicit OutboxStoreWrapper(OutboxStore& target) : target_(target) {}
  std::int64_t append(std::int64_t count, Timestamp at, std::string_view payload) override {
    return target_.append(count, at, payload);
  }
  std::vector<OutboxRecord> read_after(std::int64_t sequence,
                                       std::size_t max_records) override {
    return target_.read_after(sequence, max_records);
  }
  std::int64_t last_sequence() override { return target_.last_sequence(); }
  std::int64_t first_sequence() override { return target_.first_sequence(); }
  std::int64_t prune(std::int64_t up_to, Timestamp before) override {
    return target_.prune(up_to, before);
  }

 protected:
  OutboxStore& target_;
};

class TASKCORE_EXPORT MediaStoreWrapper : public MediaStore {
 public:
  explicit MediaStoreWrapper(MediaStore& target) : target_(target) {}
  std::optional<MediaFile> find(std::int64_t id, RowLock lock) override {
    return target_.find(id, lock);
  }
  std::vector<std::int64_t> existing(const std::vector<std::int64_t>& ids) override {
    return target_.existing(ids);
  }
  std::int64_t insert(const MediaFile& file) override { return target_.insert(file); }
  void remove(std::int64_t id) override { target_.remove(id); }
  Page<MediaFile> query(const MediaFilter& filter, const PageRequest& page) override {
    return target_.query(filter, page);
  }
  bool references(const std::string& stored_name) override {
    return target_.references(stored_name);
  }

 protected:
  MediaStore& target_;
};

// Forwards to `target`, except for the domains replaced with replace_*()
// (the replacement must outlive the wrapper's use).
class TASKCORE_EXPORT TransactionWrapper : public Transaction {
 public:
  explicit TransactionWrapper(Transaction& target) : target_(target) {}

  void replace_tasks(TaskStore* tasks) { tasks_ = tasks; }
  void replace_users(UserStore* users) { users_ = users; }
  void replace_sessions(SessionStore* sessions) { sessions_ = sessions; }
  void replace_reset_tokens(ResetTokenStore* tokens) { reset_tokens_ = tokens; }
  void replace_settings(SettingStore* settings) { settings_ = settings; }
  void replace_audit(AuditStore* audit) { audit_ = audit; }
  void replace_outbox(OutboxStore* outbox) { outbox_ = outbox; }
  void replace_media(MediaStore* media) { media_ = media; }
  void replace_posts(PostStore* posts) { posts_ = posts; }
  void replace_system_stats(SystemStatsStore* stats) { system_stats_ = stats; }

  TaskStore& tasks() override { return tasks_ ? *tasks_ : target_.tasks(); }
  UserStore& users() override { return users_ ? *users_ : target_.users(); }
  SessionStore& sessions() override {
    return sessions_ ? *sessions_ : target_.sessions();
  }
  ResetTokenStore& reset_tokens() override {
    return reset_tokens_ ? *reset_tokens_ : target_.reset_tokens();
  }
  SettingStore& settings() override {
    return settings_ ? *settings_ : target_.settings();
  }
  AuditStore& audit() override { return audit_ ? *audit_ : target_.audit(); }
  OutboxStore& outbox() override { return outbox_ ? *outbox_ : target_.outbox(); }
  MediaStore& media() override { return media_ ? *media_ : target_.media(); }
  PostStore& posts() override { return posts_ ? *posts_ : target_.posts(); }
  SystemStatsStore& system_stats() override {
    return system_stats_ ? *system_stats_ : target_.system_stats();
  }
  bool writable() const override { return target_.writable(); }
  void on_commit(std::function<void()> callback) override {
    target_.on_commit(std::move(callback));
  }

 protected:
  Transaction& target_;

 private:
  TaskStore* tasks_ = nullptr;
  UserStore* users_ = nullptr;
  SessionStore* sessions_ = nullptr;
  ResetTokenStore* reset_tokens_ = nullptr;
  SettingStore* settings_ = nullptr;
  AuditStore* audit_ = nullptr;
  OutboxStore* outbox_ = nullptr;
  MediaStore* media_ = nullptr;
  PostStore* posts_ = nullptr;
  SystemStatsStore* system_stats_ = nullptr;
};

using TransactionFn = std::function<void(Transaction&)>;

// Forwards to `target`. Override within_write / within_read to hand the
// closure a wrapped transaction, or run_write / check_health to fail a
// whole call.
class TASKCORE_EXPORT StoreWrapper : public Store {
 public:
  explicit StoreWrapper(std::shared_ptr<Store> target) : target_(std::move(target)) {}

  void run_write(const TransactionFn& fn) override {
    target_->run_write([&](Transaction& tx) { within_write(tx, fn); });
  }
  void run_read(const TransactionFn& fn) override {
    target_->run_read([&](Transaction& tx) { within_read(tx, fn); });
  }
  void check_health() override { target_->check_health(); }
  CommitListener* commit_listener() override { return target_->commit_listener(); }
  std::shared_ptr<RateLimiter> shared_rate_limiter() override {
    return target_->shared_rate_limiter();
  }
  std::shared_ptr<PresenceStore> shared_presence() override {
    return target_->shared_presence();
  }
  StoreStatistics statistics() override { return target_->statistics(); }

  Store& target() { return *target_; }

 protected:
  // Called inside the target's transaction `tx`; must call fn once with
  // `tx` or a wrapper of it.
  virtual void within_write(Transaction& tx, const TransactionFn& fn) { fn(tx); }
  virtual void within_read(Transaction& tx, const TransactionFn& fn) { fn(tx); }

 private:
  std::shared_ptr<Store> target_;
};

}  // namespace taskcore

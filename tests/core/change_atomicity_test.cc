// A change, its audit entry and its outbox events commit together or not at
// all: faults injected into one store method (through StoreWrapper) leave
// nothing half-written and publish nothing.
#include <doctest/doctest.h>

#include <span>

#include "support/fixtures.h"
#include "taskcore/sqlite_store.h"
#include "taskcore/store_wrapper.h"

using namespace taskcore;
using taskcore::testing::ManualClock;
using taskcore::testing::TestStores;

namespace {

enum class Fault { kNone, kAuditAppend, kOutboxAppend, kTaskUpdateMany, kSessionInsert };

class FaultyStore final : public StoreWrapper {
 public:
  using StoreWrapper::StoreWrapper;
  Fault fault = Fault::kNone;

 protected:
  void within_write(Transaction& tx, const TransactionFn& fn) override {
    FailingAudit audit(tx.audit());
    FailingOutbox outbox(tx.outbox());
    FailingTasks tasks(tx.tasks());
    FailingSessions sessions(tx.sessions());
    TransactionWrapper wrapped(tx);
    if (fault == Fault::kAuditAppend) wrapped.replace_audit(&audit);
    if (fault == Fault::kOutboxAppend) wrapped.replace_outbox(&outbox);
    if (fault == Fault::kTaskUpdateMany) wrapped.replace_tasks(&tasks);
    if (fault == Fault::kSessionInsert) wrapped.replace_sessions(&sessions);
    fn(wrapped);
  }

 private:
  // Each fails after the real write, the worst moment: the row is written.
  struct FailingAudit final : AuditStoreWrapper {
    using AuditStoreWrapper::AuditStoreWrapper;
    std::int64_t append(const AuditEntry& entry) override {
      target_.append(entry);
      throw Error::internal("injected");
    }
  };
  struct FailingOutbox final : OutboxStoreWrapper {
    using OutboxStoreWrapper::OutboxStoreWrapper;
    std::int64_t append(std::int64_t count, Timestamp at, std::string_view payload) override {
      target_.append(count, at, payload);
      throw Error::internal("injected");
    }
  };
  struct FailingTasks final : TaskStoreWrapper {
    using TaskStoreWrapper::TaskStoreWrapper;
    void update_many(std::span<const Task> before, std::span<const Task> after) override {
      target_.update_many(before, after);
      throw Error::internal("injected");
    }
  };
  struct FailingSessions final : SessionStoreWrapper {
    using SessionStoreWrapper::SessionStoreWrapper;
    void insert(const Session& session) override {
      target_.insert(session);
      throw Error::internal("injected");
    }
  };
};

struct FaultFixture {
  TestStores stores;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<FaultyStore> store;
  std::unique_ptr<Core> core;
  std::vector<TaskEvent> published;
  Subscription subscription;
  Principal admin, member;

  FaultFixture() {
    store = std::make_shared<FaultyStore>(stores.open("f.db"));
    Options options;
    options.store = store;
    options.clock = clock;
    options.random = std::make_shared<taskcore::testing::CountingRandom>();
    options.password_cost = PasswordCost::fast();
    core = std::make_unique<Core>(std::move(options));
    subscription = core->events().subscribe([&](std::span<const TaskEvent> batch) {
      published.insert(published.end(), batch.begin(), batch.end());
    });
    admin = principal(core->users().create_user(
        {"root", "root@example.com", "password123", Role::kAdmin}));
    member = principal(core->users().create_user(
        {"mem", "mem@example.com", "password123", Role::kMember}));
  }

  static Principal principal(const User& user) { return {user.id, user.role, "", {}}; }

  std::int64_t audit_count() { return core->audit().list(admin, {}, {1, 1}).count; }
  std::int64_t last_sequence() { return core->event_log().last_sequence(); }

  static TaskInput titled(const std::string& title) {
    TaskInput input;
    input.title = std::optional<std::string>(title);
    return input;
  }
};

}  // namespace

TEST_CASE_FIXTURE(FaultFixture, "a failing audit append leaves no task, no event and no entry") {
  const std::int64_t entries = audit_count();
  const std::int64_t sequence = last_sequence();
  store->fault = Fault::kAuditAppend;
  CHECK_THROWS_AS(core->tasks().create(member, titled("doomed")), Error);
  store->fault = Fault::kNone;
  CHECK(core->tasks().list(member, {}, {}).count == 0);
  CHECK(audit_count() == entries);
  CHECK(last_sequence() == sequence);
  CHECK(published.empty());

  // The same store works once the fault is gone.
  const Task task = core->tasks().create(member, titled("fine"));
  CHECK(audit_count() == entries + 1);
  REQUIRE(published.size() == 1);
  CHECK(published[0].task_id == task.id);
}

TEST_CASE_FIXTURE(FaultFixture, "a failing outbox append leaves the update and its entry out") {
  const Task task = core->tasks().create(member, titled("before"));
  published.clear();
  const std::int64_t entries = audit_count();
  store->fault = Fault::kOutboxAppend;
  TaskInput patch = titled("after");
  CHECK_THROWS_AS(core->tasks().update(member, task.id, patch, WriteMode::kPartial), Error);
  CHECK_THROWS_AS(core->tasks().remove(member, task.id), Error);
  store->fault = Fault::kNone;
  CHECK(core->tasks().get(member, task.id).title == "before");
  CHECK(audit_count() == entries);
  CHECK(published.empty());
}

TEST_CASE_FIXTURE(FaultFixture, "a bulk update that fails mid-way changes no task") {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(core->tasks().create(member, titled("t")).id);
  published.clear();
  const std::int64_t entries = audit_count();
  const std::int64_t sequence = last_sequence();
  BulkUpdateInput input;
  input.task_ids = ids;
  input.updates.status = std::optional<std::string>("done");
  store->fault = Fault::kTaskUpdateMany;
  CHECK_THROWS_AS(core->tasks().bulk_update(admin, input), Error);
  store->fault = Fault::kNone;
  TaskFilter done;
  done.statuses = {TaskStatus::kDone};
  CHECK(core->tasks().list(admin, done, {}).count == 0);
  CHECK(audit_count() == entries);
  CHECK(last_sequence() == sequence);
  CHECK(published.empty());
  CHECK(core->tasks().bulk_update(admin, input).succeeded == 20);
  CHECK(core->tasks().list(admin, done, {}).count == 20);
  CHECK(published.size() == 20);
}

TEST_CASE_FIXTURE(FaultFixture, "a login whose session cannot be stored records nothing") {
  const std::int64_t entries = audit_count();
  store->fault = Fault::kSessionInsert;
  CHECK_THROWS_AS(core->auth().login("mem", "password123"), Error);
  store->fault = Fault::kNone;
  CHECK(audit_count() == entries);
  CHECK_FALSE(core->users().get(admin, member.user_id).last_login.has_value());
  const LoginResult ok = core->auth().login("mem", "password123");
  CHECK(core->users().get(admin, member.user_id).last_login == clock->now());
  CHECK(core->auth().authenticate(ok.tokens.access).user.id == member.user_id);
}

TEST_CASE_FIXTURE(FaultFixture, "every mutating call writes exactly one audit entry") {
  struct Step {
    const char* action;
    std::function<void()> run;
  };
  Task task;
  std::vector<Step> steps = {
      {kAuditTaskCreate, [&] { task = core->tasks().create(member, titled("t")); }},
      {kAuditTaskUpdate,
       [&] { core->tasks().update(member, task.id, titled("u"), WriteMode::kPartial); }},
      {kAuditBulkCreate, [&] { core->tasks().create_many(member, {titled("a"), titled("b")}); }},
      {kAuditBulkUpdate,
       [&] {
         BulkUpdateInput input;
         input.task_ids = {task.id};
         input.updates.priority = std::optional<std::string>("low");
         core->tasks().bulk_update(member, input);
       }},
      {kAuditTaskDelete, [&] { core->tasks().remove(member, task.id); }},
      {kAuditBulkDelete,
       [&] {
         BulkDeleteInput input;
         input.task_ids = {task.id};
         core->tasks().bulk_delete(admin, input);
       }},
      {kAuditRegister,
       [&] { core->users().register_user({"newbie", "n@example.com", "password123"}); }},
      {kAuditUserCreate,
       [&] { core->users().create_user({"made", "made@example.com", "password123"}); }},
      {kAuditUserUpdate,
       [&] {
         UserUpdateInput input;
         input.role = "manager";
         core->users().update(admin, member.user_id, input);
       }},
      {kAuditUserToggleActive, [&] { core->users().toggle_active(admin, member.user_id); }},
      {kAuditLogin, [&] { core->auth().login("root", "password123"); }},
      {kAuditLoginFailed, [&] { CHECK_THROWS(core->auth().login("root", "wrong-one")); }},
  };
  for (const Step& step : steps) {
    CAPTURE(step.action);
    const std::int64_t before = audit_count();
    step.run();
    const Page<AuditEntry> newest = core->audit().list(admin, {}, {1, 1});
    CHECK(newest.count == before + 1);
    REQUIRE(newest.items.size() == 1);
    CHECK(newest.items[0].action == step.action);
  }
}

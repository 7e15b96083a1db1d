// The audit log and the event outbox, on every backend.
#include <doctest/doctest.h>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

AuditEntry entry(std::optional<std::int64_t> actor, std::string action, Timestamp at,
                 std::string target_type = "task",
                 std::optional<std::int64_t> target_id = std::nullopt) {
  AuditEntry e;
  e.timestamp = at;
  e.actor_id = actor;
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = target_id;
  e.details_json = R"({"k":"v"})";
  e.ip = "127.0.0.1";
  e.request_id = "req";
  return e;
}

std::vector<std::string> actions_of(const Page<AuditEntry>& page) {
  std::vector<std::string> out;
  for (const AuditEntry& e : page.items) out.push_back(e.action);
  return out;
}

Page<AuditEntry> audit_query(Store& store, const AuditFilter& filter,
                             const PageRequest& page = {1, 20}) {
  return store.read([&](Transaction& tx) { return tx.audit().query(filter, page); });
}

std::int64_t append(Store& store, std::int64_t count, Timestamp at, std::string payload) {
  return store.write(
      [&](Transaction& tx) { return tx.outbox().append(count, at, payload); });
}

std::vector<OutboxRecord> read_after(Store& store, std::int64_t sequence,
                                     std::size_t max = 100) {
  return store.read([&](Transaction& tx) { return tx.outbox().read_after(sequence, max); });
}

}  // namespace

TEST_CASE_TEMPLATE("store audit: append and query newest first with every filter", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const std::int64_t first = store.write([](Transaction& tx) {
    return tx.audit().append(entry(1, "login", kT0, "user", 1));
  });
  store.write([](Transaction& tx) {
    tx.audit().append(entry(2, "task_create", kT0 + 1000, "task", 7));
    tx.audit().append(entry(2, "task_delete", kT0 + 2000, "task", 7));
    tx.audit().append(entry(std::nullopt, "login_failed", kT0 + 86'400'000, "user"));
  });

  const Page<AuditEntry> all = audit_query(store, {});
  CHECK(all.count == 4);
  CHECK(actions_of(all) ==
        std::vector<std::string>{"login_failed", "task_delete", "task_create", "login"});
  const AuditEntry& oldest = all.items.back();
  CHECK(oldest.id == first);
  CHECK(oldest.timestamp == kT0);
  CHECK(oldest.actor_id == 1);
  CHECK(oldest.target_type == "user");
  CHECK(oldest.target_id == 1);
  CHECK(oldest.details_json == R"({"k":"v"})");
  CHECK(oldest.ip == "127.0.0.1");
  CHECK(oldest.request_id == "req");
  CHECK_FALSE(all.items.front().actor_id.has_value());
  CHECK_FALSE(all.items.front().target_id.has_value());

  AuditFilter by_actor;
  by_actor.actor_ids = {2};
  CHECK(actions_of(audit_query(store, by_actor)) ==
        std::vector<std::string>{"task_delete", "task_create"});
  AuditFilter by_actions;
  by_actions.actions = {"login", "login_failed"};
  CHECK(audit_query(store, by_actions).count == 2);
  AuditFilter by_target;
  by_target.target_type = "task";
  by_target.actions = {"task_delete"};
  CHECK(actions_of(audit_query(store, by_target)) == std::vector<std::string>{"task_delete"});
  AuditFilter window;
  window.start = kT0 + 1000;
  window.end = kT0 + 2000;  // inclusive at both ends
  CHECK(actions_of(audit_query(store, window)) ==
        std::vector<std::string>{"task_delete", "task_create"});
  AuditFilter none;
  none.actions = {"nothing"};
  CHECK(audit_query(store, none).count == 0);

  const Page<AuditEntry> second_page = audit_query(store, {}, {2, 3});
  CHECK(second_page.count == 4);
  CHECK(actions_of(second_page) == std::vector<std::string>{"login"});
}

TEST_CASE_TEMPLATE("store audit: an entry rolls back with its transaction", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  CHECK_THROWS(store.write([](Transaction& tx) {
    tx.audit().append(entry(1, "task_create", kT0));
    throw Error::conflict("no");
  }));
  CHECK(audit_query(store, {}).count == 0);
}

TEST_CASE_TEMPLATE("store outbox: consecutive numbers, read from any number", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  CHECK(store.read([](Transaction& tx) { return tx.outbox().last_sequence(); }) == 0);
  CHECK(store.read([](Transaction& tx) { return tx.outbox().first_sequence(); }) == 1);
  CHECK(read_after(store, 0).empty());

  CHECK(append(store, 3, kT0, "abc") == 1);       // events 1..3
  CHECK(append(store, 1, kT0 + 1, "d") == 4);     // event 4
  // A rolled-back append leaves no gap.
  CHECK_THROWS(store.write([](Transaction& tx) {
    tx.outbox().append(5, kT0, "lost");
    throw Error::internal();
  }));
  CHECK(append(store, 2, kT0 + 2, std::string("e\0f", 3)) == 5);  // 5..6, binary
  CHECK(store.read([](Transaction& tx) { return tx.outbox().last_sequence(); }) == 6);

  std::vector<OutboxRecord> records = read_after(store, 0);
  REQUIRE(records.size() == 3);
  CHECK(records[0].first_sequence == 1);
  CHECK(records[0].last_sequence == 3);
  CHECK(records[0].created_at == kT0);
  CHECK(records[0].payload == "abc");
  CHECK(records[2].payload == std::string("e\0f", 3));
  // From inside a record: the record holding the next number comes first.
  records = read_after(store, 2);
  REQUIRE(records.size() == 3);
  CHECK(records[0].first_sequence == 1);
  records = read_after(store, 3);
  REQUIRE(records.size() == 2);
  CHECK(records[0].first_sequence == 4);
  CHECK(read_after(store, 6).empty());
  CHECK(read_after(store, 0, 1).size() == 1);
}

TEST_CASE_TEMPLATE("store outbox: pruning keeps the newest record and the numbering", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  for (int i = 0; i < 5; ++i) append(store, 2, kT0 + i * 1000, "x");  // 1..10
  const auto prune = [&](std::int64_t up_to, Timestamp before) {
    return store.write([&](Transaction& tx) { return tx.outbox().prune(up_to, before); });
  };
  // Only records wholly <= up_to and older than `before`.
  CHECK(prune(5, kT0 + 10'000) == 2);  // 1..2 and 3..4; 5..6 crosses up_to
  CHECK(store.read([](Transaction& tx) { return tx.outbox().first_sequence(); }) == 5);
  CHECK(prune(100, kT0 + 2500) == 1);  // 5..6 is old enough, 7..8 is not
  CHECK(prune(100, kT0 + 100'000) == 1);  // 7..8; 9..10 is the newest and stays
  CHECK(store.read([](Transaction& tx) { return tx.outbox().first_sequence(); }) == 9);
  CHECK(store.read([](Transaction& tx) { return tx.outbox().last_sequence(); }) == 10);
  CHECK(append(store, 1, kT0, "y") == 11);
  CHECK(read_after(store, 0).size() == 2);
}

TEST_CASE_TEMPLATE("store transactions: on_commit runs after commit, never after rollback", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  std::vector<std::string> calls;
  std::int64_t seen_count = -1;
  store.write([&](Transaction& tx) {
    tx.tasks().insert(new_task("committed"));
    tx.on_commit([&] {
      calls.push_back("first");
      // The change is visible to new transactions by then.
      seen_count = task_count(store);
    });
    tx.on_commit([&] { calls.push_back("second"); });
    CHECK(calls.empty());
  });
  CHECK(calls == std::vector<std::string>{"first", "second"});
  CHECK(seen_count == 1);

  calls.clear();
  CHECK_THROWS(store.write([&](Transaction& tx) {
    tx.tasks().insert(new_task("rolled back"));
    tx.audit().append(entry(1, "task_create", kT0));
    tx.outbox().append(1, kT0, "event");
    tx.on_commit([&] { calls.push_back("never"); });
    throw Error::permission_denied();
  }));
  CHECK(calls.empty());
  CHECK(task_count(store) == 1);
  CHECK(audit_query(store, {}).count == 0);
  CHECK(store.read([](Transaction& tx) { return tx.outbox().last_sequence(); }) == 0);

  // A callback that throws does not undo the commit or stop the others.
  store.write([&](Transaction& tx) {
    tx.tasks().insert(new_task("again"));
    tx.on_commit([] { throw std::runtime_error("ignored"); });
    tx.on_commit([&] { calls.push_back("after throw"); });
  });
  CHECK(calls == std::vector<std::string>{"after throw"});
  CHECK(task_count(store) == 2);
}

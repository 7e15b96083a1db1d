// Many rows per transaction: find_many, update_many (grouped UPDATEs),
// remove_many, and group commit of concurrent writes.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::vector<std::int64_t> insert_titles(Store& store, std::int64_t creator, int n) {
  return store.write([&](Transaction& tx) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < n; ++i) {
      Task task = new_task("batch " + std::to_string(i));
      task.created_by = creator;
      ids.push_back(tx.tasks().insert(task));
    }
    return ids;
  });
}

std::int64_t search_count(Store& store, const std::string& text) {
  TaskFilter search;
  search.search = text;
  return query_tasks(store, search, {1, 100}).count;
}

}  // namespace

TEST_CASE_TEMPLATE("store batches: many inserts in one transaction, all or nothing", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 5);
  REQUIRE(ids.size() == 5);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(find_task(store, ids[3])->title == "batch 3");

  // The foreign key refuses an unknown assignee: the whole transaction,
  // with the rows inserted before, rolls back.
  CHECK_THROWS_AS(store.write([&](Transaction& tx) {
    tx.tasks().insert(new_task("fine"));
    Task ghost = new_task("ghost owner");
    ghost.assigned_to = 987654;
    tx.tasks().insert(ghost);
  }),
                  Error);
  CHECK(task_count(store) == 5);
  CHECK(search_count(store, "batch") == 5);
  CHECK(search_count(store, "fine") == 0);
}

TEST_CASE_TEMPLATE("store batches: find_many returns what exists, by id", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 4);
  const std::vector<std::int64_t> request = {ids[2], 424242, ids[0], ids[2]};
  const std::vector<Task> found = store.write([&](Transaction& tx) {
    return tx.tasks().find_many(request, RowLock::kForUpdate);
  });
  REQUIRE(found.size() == 2);
  CHECK(found[0].id == ids[0]);
  CHECK(found[1].id == ids[2]);
  CHECK(found[1].title == "batch 2");
  CHECK(store.read([&](Transaction& tx) {
    return tx.tasks().find_many(std::vector<std::int64_t>{}).size();
  }) == 0);
}

TEST_CASE_TEMPLATE("store batches: remove_many", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 3);
  store.write([&](Transaction& tx) {
    tx.tasks().remove_many(std::vector<std::int64_t>{ids[0], ids[2], 5555});
  });
  CHECK_FALSE(find_task(store, ids[0]));
  CHECK(find_task(store, ids[1]));
  CHECK_FALSE(find_task(store, ids[2]));
  CHECK(search_count(store, "batch") == 1);
}

TEST_CASE_TEMPLATE("store batches: update_many writes varied changes correctly", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 30);
  // Two shared value sets (grouped), then one distinct title per task past
  // the group limit (written row by row), and one task left unchanged.
  store.write([&](Transaction& tx) {
    std::vector<Task> before = tx.tasks().find_many(ids, RowLock::kForUpdate);
    std::vector<Task> after = before;
    for (Task& task : after) {
      const auto n = task.id - ids[0];
      if (n == 0) continue;
      if (n < 10) task.status = TaskStatus::kDone;
      else if (n < 20) task.priority = TaskPriority::kUrgent;
      else task.title = "renamed " + std::to_string(n);
      task.updated_at = kT0 + 1;
    }
    tx.tasks().update_many(before, after);
  });
  CHECK(find_task(store, ids[0])->updated_at == kT0);
  CHECK(find_task(store, ids[5])->status == TaskStatus::kDone);
  CHECK(find_task(store, ids[5])->priority == TaskPriority::kMedium);
  CHECK(find_task(store, ids[15])->priority == TaskPriority::kUrgent);
  CHECK(find_task(store, ids[15])->status == TaskStatus::kTodo);
  CHECK(find_task(store, ids[25])->title == "renamed 25");
  CHECK(find_task(store, ids[25])->updated_at == kT0 + 1);
  TaskFilter urgent;
  urgent.priorities = {TaskPriority::kUrgent};
  CHECK(query_tasks(store, urgent, {1, 100}).count == 10);
  CHECK(search_count(store, "renamed") == 10);
  CHECK(search_count(store, "batch") == 20);
}

TEST_CASE_TEMPLATE("store batches: concurrent writes commit together yet fail alone", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 60;
  std::atomic<int> refused{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Task task = new_task("t" + std::to_string(t) + "-" + std::to_string(i));
        task.created_by = user.id;
        try {
          const std::int64_t id = store.write([&](Transaction& tx) {
            const std::int64_t inserted = tx.tasks().insert(task);
            // Refused after writing: its savepoint must undo the insert
            // while the rest of its batch commits.
            if (i % 10 == 3) throw Error::permission_denied();
            return inserted;
          });
          if (!find_task(store, id)) ++unexpected;  // visible once returned
        } catch (const Error& e) {
          if (e.code() == ErrorCode::kPermissionDenied) ++refused;
          else ++unexpected;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(unexpected == 0);
  CHECK(refused == kThreads * kPerThread / 10);
  CHECK(task_count(store) == kThreads * kPerThread * 9 / 10);
  CHECK(search_count(store, "t3") == kPerThread * 9 / 10);
}

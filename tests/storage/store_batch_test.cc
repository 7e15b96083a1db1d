#include <doctest/doctest.h>
#include <algorithm>
#include <atomic>
#include <thread>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::vector<std::int64_t> insert_titles(Store& store, std::int64_t creator, int n) {
  std::vector<Task> tasks;
  for (int i = 0; i < n; ++i) {
    Task task = new_task("batch " + std::to_string(i));
    task.created_by = creator;
    tasks.push_back(task);
  }
  std::vector<std::int64_t> ids;
  for (const Task& t : store.insert_tasks(tasks)) ids.push_back(t.id);
  return ids;
}

}  // namespace

TEST_CASE_TEMPLATE("insert_tasks stores all or nothing", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 5);
  REQUIRE(ids.size() == 5);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(store.find_task(ids[3])->title == "batch 3");

  std::vector<Task> bad = {new_task("fine"), new_task("ghost owner")};
  bad[1].assigned_to = 987654;
  CHECK_THROWS_AS(store.insert_tasks(bad), Error);
  CHECK(store.query_tasks({}, {1, 100}).count == 5);
  // The full-text index follows batch inserts.
  TaskFilter search;
  search.search = "batch";
  CHECK(store.query_tasks(search, {1, 100}).count == 5);
}

TEST_CASE_TEMPLATE("update_tasks: one transaction, refusals and missing ids reported", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 4);
  std::vector<std::int64_t> request = {ids[0], 424242, ids[1], ids[2]};

  auto outcome = store.update_tasks(request, [&](Task& task) {
    if (task.id == ids[1]) throw Error::permission_denied("not yours");
    task.status = TaskStatus::kDone;
  });
  REQUIRE(outcome.changed.size() == 2);
  CHECK(outcome.changed[0].id == ids[0]);
  CHECK(outcome.changed[1].id == ids[2]);
  CHECK(outcome.changed[1].status == TaskStatus::kDone);
  REQUIRE(outcome.failures.size() == 2);
  CHECK(outcome.failures[0].task_id == 424242);
  CHECK(outcome.failures[0].code == ErrorCode::kNotFound);
  CHECK(outcome.failures[1].task_id == ids[1]);
  CHECK(outcome.failures[1].code == ErrorCode::kPermissionDenied);
  CHECK(outcome.failures[1].message == "not yours");
  CHECK(store.find_task(ids[0])->status == TaskStatus::kDone);
  CHECK(store.find_task(ids[1])->status == TaskStatus::kTodo);
  CHECK(store.find_task(ids[3])->status == TaskStatus::kTodo);
}

TEST_CASE_TEMPLATE("update_tasks: a bad reference rolls every change back", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 3);
  CHECK_THROWS_AS(store.update_tasks(ids,
                                     [&](Task& task) {
                                       task.status = TaskStatus::kReview;
                                       if (task.id == ids[2]) task.assigned_to = 999999;
                                     }),
                  Error);
  for (auto id : ids) CHECK(store.find_task(id)->status == TaskStatus::kTodo);
}

TEST_CASE_TEMPLATE("delete_tasks deletes what check allows", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 3);
  auto outcome = store.delete_tasks({ids[0], ids[1], 5555}, [&](const Task& task) {
    if (task.id == ids[1]) throw Error::permission_denied();
  });
  REQUIRE(outcome.changed.size() == 1);
  CHECK(outcome.changed[0].title == "batch 0");
  CHECK(outcome.failures.size() == 2);
  CHECK_FALSE(store.find_task(ids[0]));
  CHECK(store.find_task(ids[1]));
  TaskFilter search;
  search.search = "batch";
  CHECK(store.query_tasks(search, {1, 100}).count == 2);
}

TEST_CASE_TEMPLATE("concurrent writes commit together yet fail alone", B, TASKCORE_STORE_BACKENDS) {
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
        if (i % 10 == 3) task.assigned_to = 777000 + i;  // no such user
        try {
          const Task stored = store.insert_task(task);
          if (!store.find_task(stored.id)) ++unexpected;  // visible once returned
        } catch (const Error& e) {
          if (e.code() == ErrorCode::kValidationError) ++refused;
          else ++unexpected;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(unexpected == 0);
  CHECK(refused == kThreads * kPerThread / 10);
  CHECK(store.query_tasks({}, {1, 1}).count == kThreads * kPerThread * 9 / 10);
  TaskFilter search;
  search.search = "t3";
  CHECK(store.query_tasks(search, {1, 100}).count == kPerThread * 9 / 10);
}

TEST_CASE_TEMPLATE("update_tasks writes varied changes correctly", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  User user = add_user(store, "owner");
  auto ids = insert_titles(store, user.id, 30);
  // Two shared value sets (grouped), then one distinct title per task past
  // the group limit (written row by row), and one task left unchanged.
  auto outcome = store.update_tasks(ids, [&](Task& task) {
    const auto n = task.id - ids[0];
    if (n == 0) return;
    if (n < 10) task.status = TaskStatus::kDone;
    else if (n < 20) task.priority = TaskPriority::kUrgent;
    else task.title = "renamed " + std::to_string(n);
    task.updated_at = kT0 + 1;
  });
  CHECK(outcome.changed.size() == 30);
  CHECK(store.find_task(ids[0])->updated_at == kT0);
  CHECK(store.find_task(ids[5])->status == TaskStatus::kDone);
  CHECK(store.find_task(ids[5])->priority == TaskPriority::kMedium);
  CHECK(store.find_task(ids[15])->priority == TaskPriority::kUrgent);
  CHECK(store.find_task(ids[15])->status == TaskStatus::kTodo);
  CHECK(store.find_task(ids[25])->title == "renamed 25");
  CHECK(store.find_task(ids[25])->updated_at == kT0 + 1);
  TaskFilter urgent;
  urgent.priorities = {TaskPriority::kUrgent};
  CHECK(store.query_tasks(urgent, {1, 100}).count == 10);
  TaskFilter search;
  search.search = "renamed";
  CHECK(store.query_tasks(search, {1, 100}).count == 10);
}

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

TEST_CASE_TEMPLATE("store concurrency: readers and writers at once", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User owner = add_user(store, "owner");

  constexpr int kWriters = 4;
  constexpr int kReaders = 4;
  constexpr int kTasksPerWriter = 40;
  std::atomic<int> failures{0};
  std::atomic<bool> writers_done{false};

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      try {
        add_user(store, "writer" + std::to_string(w));
        for (int i = 0; i < kTasksPerWriter; ++i) {
          Task t = new_task("concurrent task w" + std::to_string(w),
                            "written by thread", kT0 + i);
          t.category = "w" + std::to_string(w);
          t.created_by = owner.id;
          const Task stored = insert_task(store, t);
          update_task(store, stored.id, [&](Task& task) {
            task.status = TaskStatus::kDone;
            task.updated_at = kT0 + 1000 + i;
          });
          // Every fourth task is deleted again.
          if (i % 4 == 3) delete_task(store, stored.id);
        }
      } catch (const std::exception& e) {
        MESSAGE("writer failed: " << e.what());
        ++failures;
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      try {
        for (int i = 0; i < 60 || !writers_done.load(); ++i) {
          TaskFilter f;
          if (i % 3 == 1) f.search = "concurrent";
          if (i % 3 == 2) f.categories = {"w" + std::to_string(r)};
          f.ordering = {{TaskSortKey::kUpdatedAt, i % 2 == 0}};
          store.read([&](Transaction& tx) {
            const Page<Task> page = tx.tasks().query(f, {1, 10});
            // A consistent snapshot: a page never holds more than the
            // count, and every row of it is still there.
            if (static_cast<std::int64_t>(page.items.size()) > page.count) ++failures;
            for (const Task& t : page.items)
              if (!tx.tasks().find(t.id)) ++failures;
            if (!tx.users().find(owner.id)) ++failures;
            tx.users().query({}, {1, 5});
          });
          if (i > 10000) break;  // bounded even if writers hang
        }
      } catch (const std::exception& e) {
        MESSAGE("reader failed: " << e.what());
        ++failures;
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  writers_done = true;
  for (std::size_t i = kWriters; i < threads.size(); ++i) threads[i].join();

  CHECK(failures.load() == 0);
  const Page<Task> all = query_tasks(store, {}, {1, 100});
  CHECK(all.count == kWriters * kTasksPerWriter * 3 / 4);
  TaskFilter done;
  done.statuses = {TaskStatus::kDone};
  CHECK(query_tasks(store, done, {1, 1}).count == all.count);
  TaskFilter search;
  search.search = "concurrent w0";
  CHECK(query_tasks(store, search, {1, 1}).count == kTasksPerWriter * 3 / 4);
  CHECK(store.read([](Transaction& tx) { return tx.users().query({}, {1, 10}).count; }) ==
        kWriters + 1);
}

// The in-memory task index answers exactly what SQL answers: random
// filters, searches, orderings and pages on a randomly written database,
// compared with a store that has the index switched off, on the same file;
// and under concurrent writes every page it serves is consistent.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

const char* const kWords[] = {"alpha", "beta",  "gamma", "delta", "deploy", "design",
                              "desk",  "café",  "naïve", "login", "log",    "e-mail",
                              "x",     "über",  "zeta",  "omega", "report", "reporting"};
const char* const kCategories[] = {"web", "ops", "design", "Web", "qa"};
const char* const kProjects[] = {"apollo", "zeus", "hera"};

struct World {
  std::mt19937 rng{1234};
  std::vector<std::int64_t> users;

  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng)];
  }
  int roll(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

  std::string sentence(int words) {
    std::string text;
    for (int i = 0; i < words; ++i) text += std::string(i ? " " : "") + pick(kWords);
    return text;
  }

  Task random_task() {
    Task task = new_task(sentence(1 + roll(4)), roll(3) ? sentence(roll(8)) : "",
                         kT0 + roll(50) * 1000);
    task.status = static_cast<TaskStatus>(roll(4));
    task.priority = static_cast<TaskPriority>(roll(4));
    if (roll(5)) task.category = pick(kCategories);
    if (roll(4)) task.project = pick(kProjects);
    if (roll(5)) task.due_date = date_from_days(days_from_date({2025, 1, 1}) + roll(60));
    if (roll(2)) task.assigned_to = users[roll(static_cast<int>(users.size()))];
    if (roll(6)) task.created_by = users[roll(static_cast<int>(users.size()))];
    task.updated_at = task.created_at + roll(5) * 1000;
    return task;
  }

  // One random change through the store: insert, update or delete.
  void mutate(Store& store) {
    const int what = roll(10);
    if (what < 5) {
      insert_task(store, random_task());
      return;
    }
    const Page<Task> some = query_tasks(store, {}, {1 + roll(3), 20});
    if (some.items.empty()) return;
    const Task& victim = some.items[static_cast<std::size_t>(roll(static_cast<int>(some.items.size())))];
    if (what < 9) {
      Task changed = random_task();
      changed.id = victim.id;
      const bool keep_created = roll(2) != 0;
      store.write([&](Transaction& tx) {
        // Another writer may have removed it since the page was read.
        const std::optional<Task> before = tx.tasks().find(victim.id, RowLock::kForUpdate);
        if (!before) return;
        Task after = changed;
        if (keep_created) after.created_at = before->created_at;
        tx.tasks().update(*before, after);
      });
    } else {
      delete_task(store, victim.id);
    }
  }

  TaskFilter random_filter() {
    TaskFilter f;
    if (!roll(3)) f.categories = {pick(kCategories)};
    if (!roll(5)) f.categories.push_back("nope");
    if (!roll(4)) f.projects = {pick(kProjects), pick(kProjects)};
    if (!roll(3)) f.statuses = {static_cast<TaskStatus>(roll(4)), static_cast<TaskStatus>(roll(4))};
    if (!roll(3)) f.priorities = {static_cast<TaskPriority>(roll(4))};
    if (!roll(5)) f.assigned_to = {users[0], users[roll(static_cast<int>(users.size()))]};
    if (!roll(6)) f.created_by = {users[roll(static_cast<int>(users.size()))], 999999};
    if (!roll(3)) f.due_date_start = date_from_days(days_from_date({2025, 1, 1}) + roll(40));
    if (!roll(3)) f.due_date_end = date_from_days(days_from_date({2025, 1, 15}) + roll(40));
    if (f.due_date_start && f.due_date_end && *f.due_date_start > *f.due_date_end)
      std::swap(f.due_date_start, f.due_date_end);
    switch (roll(8)) {
      case 0: f.search = pick(kWords); break;
      case 1: f.search = std::string(pick(kWords)) + " " + std::string(pick(kWords)).substr(0, 2); break;
      case 2: f.search = std::string(pick(kWords)).substr(0, 1); break;
      case 3: f.search = "nothing-here"; break;
      case 4: f.search = "CAFE"; break;
      default: break;
    }
    const TaskSortKey keys[] = {TaskSortKey::kDueDate, TaskSortKey::kPriority,
                                TaskSortKey::kCreatedAt, TaskSortKey::kUpdatedAt,
                                TaskSortKey::kTitle};
    const int terms = roll(3);
    for (int i = 0; i < terms; ++i) f.ordering.push_back({keys[roll(5)], roll(2) == 0});
    return f;
  }
};

std::vector<std::int64_t> ids_of(const Page<Task>& page) {
  std::vector<std::int64_t> ids;
  for (const Task& t : page.items) ids.push_back(t.id);
  return ids;
}

// One file opened twice: with the index, and answering every query from
// SQL (the reference).
struct StorePair {
  explicit StorePair(const std::string& path) {
    SqliteOptions indexed;
    indexed.path = path;
    with_index = open_sqlite_store(indexed);
    SqliteOptions plain = indexed;
    plain.task_index = false;
    without_index = open_sqlite_store(plain);
  }
  void populate(World& world, int users, int tasks) {
    for (int i = 0; i < users; ++i)
      world.users.push_back(add_user(*with_index, "user" + std::to_string(i)).id);
    for (int i = 0; i < tasks; ++i) insert_task(*with_index, world.random_task());
  }
  // Both answer `filter` and `page` alike: the same count, the same ids.
  void check_agrees(const TaskFilter& filter, const PageRequest& page) {
    const Page<Task> expected = query_tasks(*without_index, filter, page);
    const Page<Task> got = query_tasks(*with_index, filter, page);
    CHECK(got.count == expected.count);
    CHECK(ids_of(got) == ids_of(expected));
  }
  std::shared_ptr<Store> with_index;
  std::shared_ptr<Store> without_index;
};

}  // namespace

TEST_CASE("task index: random queries answer exactly what SQL answers") {
  TempDir dir;
  StorePair stores(dir.file("index.db"));
  World world;
  stores.populate(world, 6, 300);

  int compared = 0;
  for (int round = 0; round < 30; ++round) {
    for (int i = 0; i < 15; ++i) world.mutate(*stores.with_index);
    for (int q = 0; q < 40; ++q) {
      const TaskFilter filter = world.random_filter();
      const PageRequest page{1 + world.roll(3) * world.roll(3), 1 + world.roll(25)};
      std::string shape;
      for (const TaskOrderTerm& t : filter.effective_ordering()) shape += ordering_term_name(t) + ",";
      shape += filter.search ? " search=" + *filter.search : "";
      shape += " page=" + std::to_string(page.page) + "x" + std::to_string(page.page_size);
      CAPTURE(shape);
      stores.check_agrees(filter, page);
      ++compared;
    }
  }
  CHECK(compared == 1200);
}

TEST_CASE("task index: a filter asked again is answered from its kept match set, never a stale one") {
  TempDir dir;
  StorePair stores(dir.file("cache.db"));
  World world;
  stores.populate(world, 4, 200);
  // A few filters, asked over and over with writes in between: most asks
  // find the set kept, every write must retire it.
  std::vector<TaskFilter> filters;
  for (int i = 0; i < 6; ++i) filters.push_back(world.random_filter());
  int compared = 0;
  for (int round = 0; round < 40; ++round) {
    if (round % 2 == 0) world.mutate(*stores.with_index);
    for (int ask = 0; ask < 3; ++ask) {
      for (const TaskFilter& filter : filters) {
        stores.check_agrees(filter, {1 + world.roll(2), 1 + world.roll(20)});
        ++compared;
      }
    }
  }
  CHECK(compared == 720);
}

TEST_CASE("task index: pages served under concurrent writes are consistent") {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.file("concurrent.db");
  options.read_connections = 3;
  auto store = open_sqlite_store(options);
  World seed;
  for (int i = 0; i < 4; ++i) seed.users.push_back(add_user(*store, "u" + std::to_string(i)).id);
  for (int i = 0; i < 200; ++i) insert_task(*store, seed.random_task());

  std::atomic<bool> running{true};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w)
    writers.emplace_back([&, w] {
      World world;
      world.rng.seed(99 + w);
      world.users = seed.users;
      while (running) world.mutate(*store);
    });
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.emplace_back([&, r] {
      World world;
      world.rng.seed(7 + r);
      world.users = seed.users;
      for (int q = 0; q < 400; ++q) {
        const TaskFilter filter = world.random_filter();
        store->read([&](Transaction& tx) {
          const Page<Task> page = tx.tasks().query(filter, {1, 50});
          if (static_cast<std::int64_t>(page.items.size()) > page.count) ++failures;
          if (page.count <= 50 && static_cast<std::int64_t>(page.items.size()) != page.count)
            ++failures;
          // Every row is there in this snapshot, as it was read.
          for (const Task& t : page.items) {
            const auto again = tx.tasks().find(t.id);
            if (!again || again->status != t.status || again->updated_at != t.updated_at)
              ++failures;
            if (!filter.statuses.empty() &&
                std::find(filter.statuses.begin(), filter.statuses.end(), t.status) ==
                    filter.statuses.end())
              ++failures;
          }
        });
      }
    });
  for (auto& t : readers) t.join();
  running = false;
  for (auto& t : writers) t.join();
  CHECK(failures == 0);

  // Quiet again: exact agreement with SQL.
  SqliteOptions plain = options;
  plain.task_index = false;
  auto without_index = open_sqlite_store(plain);
  for (int q = 0; q < 200; ++q) {
    const TaskFilter filter = seed.random_filter();
    const Page<Task> expected = query_tasks(*without_index, filter, {1, 30});
    const Page<Task> got = query_tasks(*store, filter, {1, 30});
    CHECK(got.count == expected.count);
    CHECK(ids_of(got) == ids_of(expected));
  }
}

TEST_CASE("task index: writes of another connection are noticed") {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.file("foreign.db");
  auto store = open_sqlite_store(options);
  SqliteOptions other = options;  // another process's store on the file
  auto foreign = open_sqlite_store(other);
  World world;
  world.users.push_back(add_user(*store, "owner").id);
  for (int i = 0; i < 50; ++i) insert_task(*store, world.random_task());
  TaskFilter web;
  web.categories = {"web"};
  const std::int64_t before = query_tasks(*store, web, {1, 5}).count;
  Task task = world.random_task();
  task.category = "web";
  insert_task(*foreign, task);
  // Answered from SQL while this store's index catches up, then from the
  // rebuilt index: the new task is counted either way.
  for (int i = 0; i < 20; ++i) {
    CHECK(query_tasks(*store, web, {1, 5}).count == before + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

namespace {

// Counts the index's rebuild notices.
class RebuildCounter final : public Logger {
 public:
  void log(LogLevel, std::string_view message) noexcept override {
    if (message.find("task index rebuilt") != std::string_view::npos) ++rebuilds;
  }
  std::atomic<int> rebuilds{0};
};

}  // namespace

TEST_CASE("task index: this store's commits that change no task keep the index") {
  TempDir dir;
  auto counter = std::make_shared<RebuildCounter>();
  SqliteOptions options;
  options.path = dir.file("own.db");
  options.logger = counter;
  auto store = open_sqlite_store(options);
  World world;
  world.users.push_back(add_user(*store, "owner").id);
  for (int i = 0; i < 20; ++i) insert_task(*store, world.random_task());
  TaskFilter web;
  web.categories = {"web"};
  const std::int64_t count = query_tasks(*store, web, {1, 5}).count;
  // Users are not tasks: a login or a sign-up commits like this.
  for (int i = 0; i < 5; ++i) {
    add_user(*store, "user" + std::to_string(i));
    CHECK(query_tasks(*store, web, {1, 5}).count == count);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(counter->rebuilds.load() == 0);

  // Another connection's writes are still noticed (opening that store may
  // commit too, so one rebuild or two), and ours after them are not.
  auto foreign = open_sqlite_store(SqliteOptions{.path = options.path});
  Task task = world.random_task();
  task.category = "web";
  insert_task(*foreign, task);
  CHECK(query_tasks(*store, web, {1, 5}).count == count + 1);
  for (int i = 0; i < 100 && counter->rebuilds.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const int after_foreign = counter->rebuilds.load();
  CHECK(after_foreign >= 1);
  CHECK(after_foreign <= 2);
  add_user(*store, "after");
  CHECK(query_tasks(*store, web, {1, 5}).count == count + 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(counter->rebuilds.load() == after_foreign);
}

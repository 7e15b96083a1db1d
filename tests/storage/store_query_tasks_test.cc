#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

using Ids = std::vector<std::int64_t>;

Ids ids_of(const std::vector<Task>& tasks) {
  Ids ids;
  for (const Task& t : tasks) ids.push_back(t.id);
  return ids;
}

Ids sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The ordering the contract describes, computed independently of SQL:
// terms in turn, null due dates last either way, then id in the direction
// of the first term.
Ids reference_order(std::vector<Task> tasks,
                    const std::vector<TaskOrderTerm>& terms) {
  const auto cmp_term = [](const Task& a, const Task& b,
                           const TaskOrderTerm& term) -> int {
    auto three_way = [&](const auto& x, const auto& y) {
      const int c = x < y ? -1 : (y < x ? 1 : 0);
      return term.descending ? -c : c;
    };
    switch (term.key) {
      case TaskSortKey::kDueDate:
        if (!a.due_date || !b.due_date)
          return a.due_date.has_value() == b.due_date.has_value()
                     ? 0
                     : (a.due_date ? -1 : 1);
        return three_way(*a.due_date, *b.due_date);
      case TaskSortKey::kPriority:
        return three_way(static_cast<int>(a.priority), static_cast<int>(b.priority));
      case TaskSortKey::kCreatedAt: return three_way(a.created_at, b.created_at);
      case TaskSortKey::kUpdatedAt: return three_way(a.updated_at, b.updated_at);
      case TaskSortKey::kTitle: return three_way(a.title, b.title);
    }
    return 0;
  };
  const bool id_desc = terms.empty() || terms.front().descending;
  std::sort(tasks.begin(), tasks.end(), [&](const Task& a, const Task& b) {
    for (const TaskOrderTerm& term : terms) {
      const int c = cmp_term(a, b, term);
      if (c != 0) return c < 0;
    }
    return id_desc ? a.id > b.id : a.id < b.id;
  });
  return ids_of(tasks);
}

// Seven tasks with ties on every ordering key and nulls in every nullable
// column.
struct Dataset {
  User alice, bob;
  std::vector<Task> tasks;  // index i holds task "t{i+1}"

  explicit Dataset(Store& store) {
    alice = add_user(store, "alice");
    bob = add_user(store, "bob");
    struct Row {
      const char* title;
      const char* description;
      TaskStatus status;
      TaskPriority priority;
      std::optional<std::string> category, project;
      std::optional<Date> due;
      std::optional<std::int64_t> assigned, creator;
      Timestamp created, updated;
    };
    const Row rows[] = {
        {"Fix login bug", "Users cannot log in with email", TaskStatus::kTodo,
         TaskPriority::kHigh, "web", "alpha", day(2025, 3, 1), alice.id,
         alice.id, kT0 + 1000, kT0 + 5000},
        {"Design landing page", "New hero and pricing sections",
         TaskStatus::kInProgress, TaskPriority::kMedium, "design", "alpha",
         std::nullopt, bob.id, alice.id, kT0 + 2000, kT0 + 2000},
        {"Write API docs", "Document the tasks endpoints", TaskStatus::kReview,
         TaskPriority::kLow, "docs", "beta", day(2025, 2, 15), std::nullopt,
         bob.id, kT0 + 3000, kT0 + 9000},
        {"Deploy release", "Ship version 2 to production", TaskStatus::kDone,
         TaskPriority::kUrgent, "ops", std::nullopt, day(2025, 3, 1), alice.id,
         bob.id, kT0 + 4000, kT0 + 4000},
        {"Login page polish", "Tweak the login form spacing", TaskStatus::kTodo,
         TaskPriority::kMedium, "web", "beta", day(2025, 1, 31), bob.id, bob.id,
         kT0 + 5000, kT0 + 6000},
        {"Café menu", "Résumé of naïve coöperation", TaskStatus::kTodo,
         TaskPriority::kLow, std::nullopt, std::nullopt, std::nullopt,
         std::nullopt, alice.id, kT0 + 6000, kT0 + 1000},
        {"Design landing page", "Check logins", TaskStatus::kDone,
         TaskPriority::kHigh, "web", "alpha", day(2025, 3, 1), alice.id,
         alice.id, kT0 + 6000, kT0 + 6000},
    };
    for (const Row& r : rows) {
      Task t = new_task(r.title, r.description, r.created);
      t.status = r.status;
      t.priority = r.priority;
      t.category = r.category;
      t.project = r.project;
      t.due_date = r.due;
      t.assigned_to = r.assigned;
      t.created_by = r.creator;
      t.updated_at = r.updated;
      tasks.push_back(insert_task(store, t));
    }
  }

  std::int64_t id(int n) const { return tasks[n - 1].id; }
  Ids ids(std::initializer_list<int> ns) const {
    Ids out;
    for (int n : ns) out.push_back(id(n));
    return out;
  }
};

Ids query_ids(Store& store, const TaskFilter& filter) {
  const Page<Task> page = query_tasks(store, filter, {1, 100});
  CHECK(page.count == static_cast<std::int64_t>(page.items.size()));
  return ids_of(page.items);
}

Ids query_set(Store& store, const TaskFilter& filter) {
  return sorted(query_ids(store, filter));
}

TaskFilter search_for(const std::string& text) {
  TaskFilter f;
  f.search = text;
  return f;
}

}  // namespace

TEST_CASE_TEMPLATE("store query_tasks: filters", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Dataset d(store);
  TaskFilter f;

  SUBCASE("none: everything, newest first") {
    const Page<Task> page = query_tasks(store, f, {1, 20});
    CHECK(page.count == 7);
    CHECK(ids_of(page.items) == d.ids({7, 6, 5, 4, 3, 2, 1}));
    CHECK(page.items.back().title == "Fix login bug");
    CHECK(page.items.back().due_date == day(2025, 3, 1));
  }
  SUBCASE("category") {
    f.categories = {"web"};
    CHECK(query_set(store, f) == d.ids({1, 5, 7}));
    f.categories = {"web", "docs"};
    CHECK(query_set(store, f) == d.ids({1, 3, 5, 7}));
    f.categories = {"Web"};
    CHECK(query_set(store, f).empty());
  }
  SUBCASE("project") {
    f.projects = {"beta"};
    CHECK(query_set(store, f) == d.ids({3, 5}));
    f.projects = {"alpha", "beta", "nope"};
    CHECK(query_set(store, f) == d.ids({1, 2, 3, 5, 7}));
  }
  SUBCASE("status") {
    f.statuses = {TaskStatus::kTodo};
    CHECK(query_set(store, f) == d.ids({1, 5, 6}));
    f.statuses = {TaskStatus::kDone, TaskStatus::kReview};
    CHECK(query_set(store, f) == d.ids({3, 4, 7}));
  }
  SUBCASE("priority") {
    f.priorities = {TaskPriority::kHigh};
    CHECK(query_set(store, f) == d.ids({1, 7}));
    f.priorities = {TaskPriority::kLow, TaskPriority::kUrgent};
    CHECK(query_set(store, f) == d.ids({3, 4, 6}));
  }
  SUBCASE("assigned_to and created_by") {
    f.assigned_to = {d.bob.id};
    CHECK(query_set(store, f) == d.ids({2, 5}));
    f.assigned_to = {d.bob.id, d.alice.id};
    CHECK(query_set(store, f) == d.ids({1, 2, 4, 5, 7}));
    TaskFilter g;
    g.created_by = {d.bob.id};
    CHECK(query_set(store, g) == d.ids({3, 4, 5}));
    g.created_by = {d.bob.id + 100};
    CHECK(query_set(store, g).empty());
  }
  SUBCASE("due date range is inclusive and skips null dates") {
    f.due_date_start = day(2025, 2, 15);
    f.due_date_end = day(2025, 3, 1);
    CHECK(query_set(store, f) == d.ids({1, 3, 4, 7}));
    TaskFilter start_only;
    start_only.due_date_start = day(2025, 3, 1);
    CHECK(query_set(store, start_only) == d.ids({1, 4, 7}));
    TaskFilter end_only;
    end_only.due_date_end = day(2025, 1, 31);
    CHECK(query_set(store, end_only) == d.ids({5}));
    TaskFilter one_day;
    one_day.due_date_start = one_day.due_date_end = day(2025, 2, 15);
    CHECK(query_set(store, one_day) == d.ids({3}));
  }
  SUBCASE("different filters AND, values of one filter OR") {
    f.categories = {"web", "design"};
    f.statuses = {TaskStatus::kTodo, TaskStatus::kInProgress};
    CHECK(query_set(store, f) == d.ids({1, 2, 5}));
    f.assigned_to = {d.alice.id};
    CHECK(query_set(store, f) == d.ids({1}));
    f.priorities = {TaskPriority::kLow};
    CHECK(query_set(store, f).empty());
  }
  SUBCASE("every filter at once") {
    f.categories = {"web"};
    f.projects = {"alpha"};
    f.statuses = {TaskStatus::kTodo, TaskStatus::kDone};
    f.priorities = {TaskPriority::kHigh};
    f.assigned_to = {d.alice.id};
    f.created_by = {d.alice.id};
    f.due_date_start = day(2025, 3, 1);
    f.due_date_end = day(2025, 3, 1);
    f.search = "login";
    CHECK(query_set(store, f) == d.ids({1, 7}));
    f.search = "login bug";
    CHECK(query_set(store, f) == d.ids({1}));
  }
}

TEST_CASE_TEMPLATE("store query_tasks: search", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Dataset d(store);

  // "login" as a word, and as a prefix of "logins" (task 7).
  CHECK(query_set(store, search_for("login")) == d.ids({1, 5, 7}));
  CHECK(query_set(store, search_for("LoGiN")) == d.ids({1, 5, 7}));
  // The last word is a prefix: "log" also matches "log" in task 1.
  CHECK(query_set(store, search_for("log")) == d.ids({1, 5, 7}));
  // Every word must match; only the last is a prefix.
  CHECK(query_set(store, search_for("login page")) == d.ids({5}));
  // "page" and "login*": task 7 has "page" in its title, "logins" below.
  CHECK(query_set(store, search_for("page login")) == d.ids({5, 7}));
  CHECK(query_set(store, search_for("logi page")).empty());
  CHECK(query_set(store, search_for("design landing")) == d.ids({2, 7}));
  // Description counts as much as title.
  CHECK(query_set(store, search_for("endpoints")) == d.ids({3}));
  CHECK(query_set(store, search_for("api endpoints")) == d.ids({3}));
  // Diacritics are ignored both ways.
  CHECK(query_set(store, search_for("cafe")) == d.ids({6}));
  CHECK(query_set(store, search_for("résumé")) == d.ids({6}));
  CHECK(query_set(store, search_for("naive coop")) == d.ids({6}));
  CHECK(query_set(store, search_for("zebra")).empty());
  // Punctuation separates words.
  CHECK(query_set(store, search_for("login-page")) == d.ids({5}));
  CHECK(query_set(store, search_for("  login,,page!! ")) == d.ids({5}));

  SUBCASE("no words: empty result") {
    for (const char* text : {"", "   ", "!!!", "\"", "*", "-:'()"}) {
      CAPTURE(text);
      const Page<Task> page = query_tasks(store, search_for(text), {1, 20});
      CHECK(page.count == 0);
      CHECK(page.items.empty());
    }
  }
  SUBCASE("FTS syntax is matched literally, never an error") {
    const char* texts[] = {
        "\"login",      "login\"",     "login*",      "*login",
        "NEAR(login",   "NEAR(login page)", "login -page", "-login",
        "title:login",  "title : login", "login'",    "'login'",
        "login AND",    "login OR deploy", "NOT login", "^login",
        "login + page", "(login)",     "{title}: x",  "\"\"\"",
        "login\\",      "%_",          "a\"b*c(d)e:f", "— login",
    };
    for (const char* text : texts) {
      CAPTURE(text);
      CHECK_NOTHROW(query_tasks(store, search_for(text), {1, 20}));
    }
    CHECK(query_set(store, search_for("login*")) == d.ids({1, 5, 7}));
    CHECK(query_set(store, search_for("\"login")) == d.ids({1, 5, 7}));
    CHECK(query_set(store, search_for("(login)")) == d.ids({1, 5, 7}));
    CHECK(query_set(store, search_for("login -page")) == d.ids({5}));
    // Operators are plain words: "or" must match too, and nothing has it.
    CHECK(query_set(store, search_for("login OR deploy")).empty());
    CHECK(query_set(store, search_for("NEAR(login")).empty());
    CHECK(query_set(store, search_for("title:login")).empty());
    CHECK(query_set(store, search_for("NOT login")).empty());
  }
}

TEST_CASE_TEMPLATE("store query_tasks: ordering", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Dataset d(store);

  const TaskSortKey keys[] = {TaskSortKey::kDueDate, TaskSortKey::kPriority,
                              TaskSortKey::kCreatedAt, TaskSortKey::kUpdatedAt,
                              TaskSortKey::kTitle};
  SUBCASE("every key, both directions, matches the reference") {
    for (TaskSortKey key : keys) {
      for (bool desc : {false, true}) {
        TaskFilter f;
        f.ordering = {{key, desc}};
        CAPTURE(static_cast<int>(key));
        CAPTURE(desc);
        CHECK(query_ids(store, f) == reference_order(d.tasks, f.ordering));
      }
    }
  }
  SUBCASE("two keys in every combination") {
    for (TaskSortKey k1 : keys)
      for (TaskSortKey k2 : keys)
        for (int dirs = 0; dirs < 4; ++dirs) {
          TaskFilter f;
          f.ordering = {{k1, (dirs & 1) != 0}, {k2, (dirs & 2) != 0}};
          CAPTURE(static_cast<int>(k1));
          CAPTURE(static_cast<int>(k2));
          CAPTURE(dirs);
          CHECK(query_ids(store, f) == reference_order(d.tasks, f.ordering));
        }
  }
  SUBCASE("explicit expectations") {
    TaskFilter f;
    // Nulls last, ties (1, 4, 7 share 2025-03-01) by id ascending.
    f.ordering = {{TaskSortKey::kDueDate, false}};
    CHECK(query_ids(store, f) == d.ids({5, 3, 1, 4, 7, 2, 6}));
    // Nulls still last; ties by id descending.
    f.ordering = {{TaskSortKey::kDueDate, true}};
    CHECK(query_ids(store, f) == d.ids({7, 4, 1, 3, 5, 6, 2}));
    // Rank, not name: low < medium < high < urgent.
    f.ordering = {{TaskSortKey::kPriority, false}};
    CHECK(query_ids(store, f) == d.ids({3, 6, 2, 5, 1, 7, 4}));
    f.ordering = {{TaskSortKey::kPriority, true}};
    CHECK(query_ids(store, f) == d.ids({4, 7, 1, 5, 2, 6, 3}));
    // The id tie-break follows the first term, not the last.
    f.ordering = {{TaskSortKey::kPriority, false}, {TaskSortKey::kCreatedAt, true}};
    CHECK(query_ids(store, f) == d.ids({6, 3, 5, 2, 7, 1, 4}));
    // Equal titles (2, 7) fall to the second term: 7 has a date, 2 none.
    f.ordering = {{TaskSortKey::kTitle, true}, {TaskSortKey::kDueDate, false}};
    CHECK(query_ids(store, f) == d.ids({3, 5, 1, 7, 2, 4, 6}));
    f.ordering = {{TaskSortKey::kCreatedAt, false}};
    CHECK(query_ids(store, f) == d.ids({1, 2, 3, 4, 5, 6, 7}));
    f.ordering = {{TaskSortKey::kUpdatedAt, true}};
    CHECK(query_ids(store, f) == d.ids({3, 7, 5, 1, 4, 2, 6}));
  }
  SUBCASE("ordering applies to filtered results") {
    TaskFilter f;
    f.categories = {"web"};
    f.ordering = {{TaskSortKey::kDueDate, false}};
    CHECK(query_ids(store, f) == d.ids({5, 1, 7}));
    f.search = "login";
    f.ordering = {{TaskSortKey::kTitle, false}};
    CHECK(query_ids(store, f) == d.ids({7, 1, 5}));
  }
}

TEST_CASE_TEMPLATE("store query_tasks: paging never repeats or skips", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  // 47 tasks with heavy ties: 3 created_at values, 4 titles, many null dates.
  std::vector<Task> tasks;
  for (int i = 0; i < 47; ++i) {
    Task t = new_task("Task " + std::to_string(i % 4), "paging", kT0 + i % 3);
    t.priority = static_cast<TaskPriority>(i % 4);
    t.updated_at = kT0 + i % 5;
    if (i % 3 == 0) t.due_date = day(2025, 4, 1 + i % 2);
    t.category = i % 2 == 0 ? "even" : "odd";
    tasks.push_back(insert_task(store, t));
  }
  const std::vector<std::vector<TaskOrderTerm>> orderings = {
      {},
      {{TaskSortKey::kDueDate, false}},
      {{TaskSortKey::kDueDate, true}},
      {{TaskSortKey::kPriority, false}, {TaskSortKey::kTitle, true}},
      {{TaskSortKey::kTitle, false}},
      {{TaskSortKey::kUpdatedAt, true}, {TaskSortKey::kDueDate, false}},
  };
  for (const auto& ordering : orderings) {
    for (bool filtered : {false, true}) {
      TaskFilter f;
      f.ordering = ordering;
      if (filtered) f.categories = {"even"};
      std::vector<Task> matching;
      for (const Task& t : tasks)
        if (!filtered || t.category == "even") matching.push_back(t);
      const Ids expected = reference_order(matching, f.effective_ordering());

      Ids seen;
      for (std::int64_t page = 1;; ++page) {
        const Page<Task> p = query_tasks(store, f, {page, 7});
        CHECK(p.count == static_cast<std::int64_t>(expected.size()));
        if (p.items.empty()) break;
        CHECK(p.items.size() <= 7);
        for (const Task& t : p.items) seen.push_back(t.id);
        if (!p.has_next()) {
          CHECK(query_tasks(store, f, {page + 1, 7}).items.empty());
          break;
        }
      }
      CAPTURE(filtered);
      CHECK(seen == expected);
      CHECK(std::set<std::int64_t>(seen.begin(), seen.end()).size() == seen.size());
    }
  }
  SUBCASE("a page past the end is empty but counted") {
    const Page<Task> p = query_tasks(store, {}, {100, 20});
    CHECK(p.items.empty());
    CHECK(p.count == 47);
    CHECK(p.request.page == 100);
  }
}

TEST_CASE_TEMPLATE("store query_tasks: count follows writes", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  TaskFilter web;
  web.categories = {"web"};
  CHECK(query_tasks(store, {}, {1, 5}).count == 0);
  CHECK(query_tasks(store, web, {1, 5}).count == 0);
  for (int i = 0; i < 3; ++i) {
    Task t = new_task("t" + std::to_string(i));
    t.category = "web";
    insert_task(store, t);
    CHECK(query_tasks(store, {}, {1, 5}).count == i + 1);
    CHECK(query_tasks(store, web, {1, 5}).count == i + 1);
  }
  const Task other = insert_task(store, new_task("other"));
  CHECK(query_tasks(store, {}, {1, 5}).count == 4);
  CHECK(query_tasks(store, web, {1, 5}).count == 3);
  update_task(store, other.id, [](Task& t) { t.category = "web"; });
  CHECK(query_tasks(store, web, {1, 5}).count == 4);
  delete_task(store, other.id);
  CHECK(query_tasks(store, web, {1, 5}).count == 3);
  CHECK(query_tasks(store, {}, {1, 5}).count == 3);
  // A failed write changes no count.
  CHECK_THROWS_AS(update_task(store, query_tasks(store, {}, {1, 1}).items[0].id,
                              [](Task& t) {
                                t.category = "other";
                                throw Error::permission_denied();
                              }),
                  Error);
  CHECK(query_tasks(store, web, {1, 5}).count == 3);
}

TEST_CASE_TEMPLATE("store query_tasks: large results keep the same order", B,
                   TASKCORE_STORE_BACKENDS) {
  // Past a few hundred matches the SQLite backend plans searches and date
  // ranges differently (walking the ordering index); results must not change.
  B backend;
  Store& store = *backend.store;
  std::vector<Task> tasks;
  for (int i = 0; i < 900; ++i) {
    Task t = new_task(std::string(i % 7 == 0 ? "rare" : "common") + " item " +
                          std::to_string(i % 50),
                      "bulk", kT0 + (i * 37) % 101);
    t.priority = static_cast<TaskPriority>(i % 4);
    t.updated_at = kT0 + (i * 13) % 29;
    if (i % 5 != 0) t.due_date = day(2025, 1 + i % 12, 1 + i % 28);
    tasks.push_back(insert_task(store, t));
  }
  const auto matches = [](const Task& t, const TaskFilter& f) {
    if (f.search && t.title.rfind("common", 0) != 0) return false;
    if (f.due_date_start && (!t.due_date || *t.due_date < *f.due_date_start))
      return false;
    if (f.due_date_end && (!t.due_date || *f.due_date_end < *t.due_date))
      return false;
    return true;
  };
  std::vector<TaskFilter> filters(3);
  filters[0].search = "common";
  filters[1].due_date_start = day(2025, 2, 1);
  filters[1].due_date_end = day(2025, 11, 30);
  filters[2].search = "comm";
  filters[2].due_date_start = day(2025, 2, 1);
  const TaskSortKey keys[] = {TaskSortKey::kDueDate, TaskSortKey::kPriority,
                              TaskSortKey::kCreatedAt, TaskSortKey::kUpdatedAt,
                              TaskSortKey::kTitle};
  for (std::size_t fi = 0; fi < filters.size(); ++fi) {
    for (TaskSortKey key : keys) {
      for (bool desc : {false, true}) {
        TaskFilter f = filters[fi];
        f.ordering = {{key, desc}};
        std::vector<Task> expected_tasks;
        for (const Task& t : tasks)
          if (matches(t, f)) expected_tasks.push_back(t);
        const Ids expected = reference_order(expected_tasks, f.ordering);
        REQUIRE(expected.size() > 500);
        CAPTURE(fi);
        CAPTURE(static_cast<int>(key));
        CAPTURE(desc);
        for (std::int64_t page : {1, 2, 13}) {
          const Page<Task> p = query_tasks(store, f, {page, 20});
          CHECK(p.count == static_cast<std::int64_t>(expected.size()));
          const auto first = expected.begin() + (page - 1) * 20;
          CHECK(ids_of(p.items) == Ids(first, std::min(first + 20, expected.end())));
        }
      }
    }
  }
}

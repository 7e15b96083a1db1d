// Filtering, search and ordering semantics, end to end through the core
// (query text -> TaskFilter -> TaskService::list over a real SQLite file).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "support/fixtures.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;

namespace {

struct Seeded : CoreFixture {
  Principal alice, bob;
  Seeded() {
    alice = make_user("alice", Role::kManager);
    bob = make_user("bob", Role::kMember);
    // title, category, project, status, priority, due, assignee, creator
    add("Fix login bug", "web", "apollo", "todo", "urgent", "2025-01-10", bob.user_id, alice);
    add("Design landing page", "design", "apollo", "in_progress", "high", "2025-02-01", 0, alice);
    add("Write blog post", "content", "", "review", "low", "", bob.user_id, bob);
    add("Login page redesign", "design", "zeus", "done", "medium", "2025-01-10", 0, bob);
    add("Loading spinner", "web", "zeus", "todo", "high", "", alice.user_id, alice);
    add("Database backup", "ops", "zeus", "todo", "urgent", "2025-03-15", 0, alice);
  }

  void add(const std::string& title, const std::string& category,
           const std::string& project, const std::string& status,
           const std::string& priority, const std::string& due,
           std::int64_t assignee, const Principal& creator) {
    TaskInput input;
    input.title = std::optional<std::string>(title);
    input.description = std::optional<std::string>("About " + title);
    input.category = std::optional<std::string>(category);
    if (!project.empty()) input.project = std::optional<std::string>(project);
    input.status = std::optional<std::string>(status);
    input.priority = std::optional<std::string>(priority);
    if (!due.empty()) input.due_date = std::optional<std::string>(due);
    if (assignee) input.assigned_to = std::optional<std::int64_t>(assignee);
    core->tasks().create(creator, input);
    clock->advance_s(1);
  }

  std::vector<std::string> titles(const QueryParams& params) {
    auto page = core->tasks().list(alice, parse_task_filter(params),
                                   parse_page_request(params));
    std::vector<std::string> out;
    for (const auto& t : page.items) out.push_back(t.title);
    last_count = page.count;
    return out;
  }

  std::int64_t last_count = 0;

  std::set<std::string> title_set(const QueryParams& params) {
    auto list = titles(params);
    CHECK(last_count == static_cast<std::int64_t>(list.size()));
    return {list.begin(), list.end()};
  }
};

using Titles = std::set<std::string>;

}  // namespace

TEST_CASE_FIXTURE(Seeded, "each filter alone") {
  CHECK(title_set({{"category", "design"}}) ==
        Titles{"Design landing page", "Login page redesign"});
  CHECK(title_set({{"project", "apollo"}}) ==
        Titles{"Fix login bug", "Design landing page"});
  CHECK(title_set({{"status", "todo"}}).size() == 3);
  CHECK(title_set({{"priority", "urgent"}}) ==
        Titles{"Fix login bug", "Database backup"});
  CHECK(title_set({{"assigned_to", std::to_string(bob.user_id)}}) ==
        Titles{"Fix login bug", "Write blog post"});
  CHECK(title_set({{"created_by", std::to_string(bob.user_id)}}) ==
        Titles{"Write blog post", "Login page redesign"});
  CHECK(title_set({{"due_date_start", "2025-02-01"}}) ==
        Titles{"Design landing page", "Database backup"});
  CHECK(title_set({{"due_date_end", "2025-01-10"}}) ==
        Titles{"Fix login bug", "Login page redesign"});
}

TEST_CASE_FIXTURE(Seeded, "values of one filter OR, filters AND") {
  CHECK(title_set({{"category", "web,ops"}}).size() == 3);
  CHECK(title_set({{"category", "web"}, {"category", "ops"}}).size() == 3);
  CHECK(title_set({{"category", "web,design"}, {"priority", "high,urgent"}}) ==
        Titles{"Fix login bug", "Design landing page", "Loading spinner"});
  CHECK(title_set({{"category", "web,design"},
                   {"priority", "high,urgent"},
                   {"due_date_start", "2025-01-01"},
                   {"due_date_end", "2025-01-31"}}) == Titles{"Fix login bug"});
  CHECK(title_set({{"project", "zeus"}, {"status", "todo"}, {"category", "ops"}}) ==
        Titles{"Database backup"});
  CHECK(title_set({{"category", "nothing"}}).empty());
}

TEST_CASE_FIXTURE(Seeded, "search: every word, prefix on the last, any case") {
  CHECK(title_set({{"search", "login"}}) ==
        Titles{"Fix login bug", "Login page redesign"});
  CHECK(title_set({{"search", "LOGIN page"}}) == Titles{"Login page redesign"});
  CHECK(title_set({{"search", "lo"}}) ==
        Titles{"Fix login bug", "Login page redesign", "Loading spinner"});
  // Only the last word is a prefix.
  CHECK(title_set({{"search", "lo page"}}).empty());
  // Descriptions count too ("About ...").
  CHECK(title_set({{"search", "about backup"}}) == Titles{"Database backup"});
  CHECK(title_set({{"search", "login"}, {"category", "web"}}) ==
        Titles{"Fix login bug"});
}

TEST_CASE_FIXTURE(Seeded, "search syntax characters are matched literally or ignored") {
  for (const char* text : {"\"", "login\"", "*", "lo*", "NEAR(login", "-login",
                           "login OR page", "title:login", "'; DROP TABLE tasks; --",
                           "(", "^login", "AND", "%", "_"}) {
    CAPTURE(text);
    CHECK_NOTHROW(titles({{"search", text}}));
  }
  CHECK(title_set({{"search", "login\""}}) ==
        Titles{"Fix login bug", "Login page redesign"});
  CHECK(title_set({{"search", "\"*"}}).empty());
  // The table survived the injection attempt above.
  CHECK(titles({}).size() == 6);
}

TEST_CASE_FIXTURE(Seeded, "ordering: default newest first") {
  auto list = titles({});
  CHECK(list.front() == "Database backup");
  CHECK(list.back() == "Fix login bug");
}

TEST_CASE_FIXTURE(Seeded, "ordering by priority rank, ties by id in the first key's direction") {
  CHECK(titles({{"ordering", "priority"}}) ==
        std::vector<std::string>{"Write blog post", "Login page redesign",
                                 "Design landing page", "Loading spinner",
                                 "Fix login bug", "Database backup"});
  CHECK(titles({{"ordering", "-priority"}}) ==
        std::vector<std::string>{"Database backup", "Fix login bug",
                                 "Loading spinner", "Design landing page",
                                 "Login page redesign", "Write blog post"});
}

TEST_CASE_FIXTURE(Seeded, "null due dates sort last in both directions") {
  auto ascending = titles({{"ordering", "due_date"}});
  CHECK(ascending == std::vector<std::string>{
                         "Fix login bug", "Login page redesign",
                         "Design landing page", "Database backup",
                         "Write blog post", "Loading spinner"});
  auto descending = titles({{"ordering", "-due_date"}});
  CHECK(descending == std::vector<std::string>{
                          "Database backup", "Design landing page",
                          "Login page redesign", "Fix login bug",
                          "Loading spinner", "Write blog post"});
}

TEST_CASE_FIXTURE(Seeded, "comma list ordering and title ordering") {
  CHECK(titles({{"ordering", "-priority,due_date"}}) ==
        std::vector<std::string>{"Fix login bug", "Database backup",
                                 "Design landing page", "Loading spinner",
                                 "Login page redesign", "Write blog post"});
  auto by_title = titles({{"ordering", "title"}});
  CHECK(std::is_sorted(by_title.begin(), by_title.end()));
  CHECK(titles({{"ordering", "-created_at"}}) == titles({}));
  auto by_update = titles({{"ordering", "updated_at"}});
  CHECK(by_update.front() == "Fix login bug");
}

TEST_CASE_FIXTURE(Seeded, "pages never repeat or skip under ties") {
  for (const char* ordering : {"priority", "-priority", "due_date", "-due_date"}) {
    CAPTURE(ordering);
    auto all = titles({{"ordering", ordering}});
    std::vector<std::string> paged;
    for (int page = 1; page <= 3; ++page) {
      auto part = titles({{"ordering", ordering}, {"page_size", "2"},
                          {"page", std::to_string(page)}});
      CHECK(last_count == 6);
      paged.insert(paged.end(), part.begin(), part.end());
    }
    CHECK(paged == all);
  }
}

// Uses libtaskcore directly, with no HTTP: opens a SQLite file, creates users
// and tasks, then prints one filtered, paginated page of tasks.
//
//   taskcore_example_tasks [path/to/example.db]

#include <cstdio>
#include <filesystem>

#include "taskcore/sqlite_store.h"
#include "taskcore/task_filter.h"
#include "taskcore/taskcore.h"

using namespace taskcore;

namespace {

TaskInput task(std::string title, std::string category, std::string priority,
               std::string due_date) {
  TaskInput input;
  input.title = std::move(title);
  input.category = std::optional<std::string>(std::move(category));
  input.priority = std::optional<std::string>(std::move(priority));
  input.due_date = std::optional<std::string>(std::move(due_date));
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "example.db";
  std::filesystem::remove(path);  // start from an empty database every run

  try {
    Options options;
    options.store = open_sqlite_store({.path = path});
    Core core(std::move(options));

    User ada = core.users().create_user(
        {"ada", "ada@example.com", "correct horse battery", Role::kManager});
    User bob = core.users().create_user(
        {"bob", "bob@example.com", "another long secret", Role::kMember});
    const Principal manager{ada.id, ada.role, ""};
    const Principal member{bob.id, bob.role, ""};

    core.tasks().create(manager, task("Design the landing page", "design", "high", "2026-01-10"));
    core.tasks().create(manager, task("Fix login redirect", "web", "urgent", "2026-01-05"));
    core.tasks().create(member, task("Write release notes", "docs", "low", "2026-02-01"));
    core.tasks().create(member, task("Landing page copy review", "design", "medium", "2026-01-20"));
    core.tasks().create(member, task("Migrate web fonts", "web", "high", "2026-03-01"));

    // The same query string the HTTP API takes: two categories, high or
    // urgent, due in January, by due date.
    QueryParams params{{"category", "web,design"},
                       {"priority", "high"},
                       {"priority", "urgent"},
                       {"due_date_end", "2026-01-31"},
                       {"ordering", "due_date"},
                       {"page_size", "10"}};
    const TaskFilter filter = parse_task_filter(params);
    const Page<Task> page =
        core.tasks().list(member, filter, parse_page_request(params));

    std::printf("%lld matching task(s), page %lld:\n",
                static_cast<long long>(page.count),
                static_cast<long long>(page.request.page));
    for (const Task& t : page.items)
      std::printf("  #%lld %-28s %-7s %-8s due %s\n", static_cast<long long>(t.id),
                  t.title.c_str(), t.category.value_or("-").c_str(),
                  std::string(priority_name(t.priority)).c_str(),
                  t.due_date ? format_date(*t.due_date).c_str() : "-");
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "error %s: %s\n",
                 std::string(error_code_name(e.code())).c_str(), e.what());
    return 1;
  }
}

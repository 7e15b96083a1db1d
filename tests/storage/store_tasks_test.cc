#include <doctest/doctest.h>

#include "storage/store_backends.h"
#include "support/task_checks.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::int64_t search_count(Store& store, const std::string& text) {
  TaskFilter f;
  f.search = text;
  return query_tasks(store, f, {1, 100}).count;
}

}  // namespace

TEST_CASE_TEMPLATE("store tasks: insert, find, update, delete", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  const User bob = add_user(store, "bob");

  Task input = new_task("Write report", "Quarterly numbers", kT0 + 1);
  input.id = 777;  // ignored
  input.status = TaskStatus::kReview;
  input.priority = TaskPriority::kUrgent;
  input.category = "docs";
  input.project = "apollo";
  input.due_date = day(2025, 2, 28);
  input.assigned_to = bob.id;
  input.created_by = ada.id;
  input.updated_at = kT0 + 2;

  const Task stored = insert_task(store, input);
  CHECK(stored.id > 0);
  CHECK(stored.id != 777);
  Task expected = input;
  expected.id = stored.id;

  const auto found = find_task(store, stored.id);
  REQUIRE(found.has_value());
  check_same(*found, expected);
  CHECK_FALSE(find_task(store, stored.id + 1000).has_value());

  SUBCASE("nullable fields round trip as null") {
    const Task plain = insert_task(store, new_task("Plain"));
    const Task back = *find_task(store, plain.id);
    CHECK(back.description.empty());
    CHECK(back.status == TaskStatus::kTodo);
    CHECK(back.priority == TaskPriority::kMedium);
    CHECK_FALSE(back.category.has_value());
    CHECK_FALSE(back.project.has_value());
    CHECK_FALSE(back.due_date.has_value());
    CHECK_FALSE(back.assigned_to.has_value());
    CHECK_FALSE(back.created_by.has_value());
    CHECK(plain.id > stored.id);
  }

  SUBCASE("update stores every changed field") {
    const Task updated = update_task(store, stored.id, [&](Task& t) {
      CHECK(t.title == "Write report");
      t.title = "Write the report";
      t.description = "Annual numbers";
      t.status = TaskStatus::kDone;
      t.priority = TaskPriority::kLow;
      t.category.reset();
      t.project = "gemini";
      t.due_date.reset();
      t.assigned_to = ada.id;
      t.updated_at = kT0 + 50;
    });
    const Task back = *find_task(store, stored.id);
    check_same(back, updated);
    CHECK(back.status == TaskStatus::kDone);
    CHECK_FALSE(back.category.has_value());
    CHECK(back.project == "gemini");
    CHECK_FALSE(back.due_date.has_value());
    CHECK(back.assigned_to == ada.id);
    CHECK(back.updated_at == kT0 + 50);
    CHECK(back.created_at == kT0 + 1);
    CHECK(search_count(store, "annual") == 1);
    CHECK(search_count(store, "quarterly") == 0);
  }

  SUBCASE("a closure that throws after writing rolls back") {
    const Error e = catch_error([&] {
      store.write([&](Transaction& tx) {
        Task changed = *tx.tasks().find(stored.id);
        changed.title = "Half written";
        changed.status = TaskStatus::kTodo;
        tx.tasks().update(expected, changed);
        tx.tasks().insert(new_task("Also half"));
        throw Error::permission_denied();
      });
    });
    CHECK(e.code() == ErrorCode::kPermissionDenied);
    check_same(*find_task(store, stored.id), expected);
    CHECK(search_count(store, "half") == 0);
    CHECK(search_count(store, "report") == 1);
    CHECK(task_count(store) == 1);
  }

  SUBCASE("the foreign key refuses an unknown assignee, leaving the row as it was") {
    CHECK_THROWS_AS(update_task(store, stored.id,
                                [](Task& t) {
                                  t.title = "Renamed";
                                  t.assigned_to = 4242;
                                }),
                    Error);
    check_same(*find_task(store, stored.id), expected);
  }

  SUBCASE("delete") {
    delete_task(store, stored.id);
    CHECK_FALSE(find_task(store, stored.id).has_value());
    CHECK(search_count(store, "report") == 0);
    CHECK(task_count(store) == 0);
  }

  SUBCASE("ids of deleted tasks are not reused") {
    const Task second = insert_task(store, new_task("Second"));
    delete_task(store, second.id);
    const Task third = insert_task(store, new_task("Third"));
    CHECK(third.id > second.id);
  }
}

TEST_CASE_TEMPLATE("store tasks: full text index follows writes", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Task a = insert_task(store, new_task("Alpha rocket", "Fuel tanks"));
  const Task b = insert_task(store, new_task("Beta rocket", "Launch pad"));
  CHECK(search_count(store, "rocket") == 2);
  CHECK(search_count(store, "fuel") == 1);

  update_task(store, a.id, [](Task& t) {
    t.title = "Gamma probe";
    t.description = "Solar panels";
  });
  CHECK(search_count(store, "rocket") == 1);
  CHECK(search_count(store, "alpha") == 0);
  CHECK(search_count(store, "fuel") == 0);
  CHECK(search_count(store, "gamma") == 1);
  CHECK(search_count(store, "solar") == 1);

  // A change that leaves the text alone keeps it searchable.
  update_task(store, b.id, [](Task& t) { t.status = TaskStatus::kDone; });
  CHECK(search_count(store, "launch") == 1);

  delete_task(store, b.id);
  CHECK(search_count(store, "rocket") == 0);
  CHECK(search_count(store, "launch") == 0);
  CHECK(search_count(store, "gamma") == 1);
}

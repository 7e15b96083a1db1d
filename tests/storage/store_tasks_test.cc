#include <doctest/doctest.h>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::int64_t search_count(Store& store, const std::string& text) {
  TaskFilter f;
  f.search = text;
  return store.query_tasks(f, {1, 100}).count;
}

void check_same(const Task& a, const Task& b) {
  CHECK(a.id == b.id);
  CHECK(a.title == b.title);
  CHECK(a.description == b.description);
  CHECK(a.status == b.status);
  CHECK(a.priority == b.priority);
  CHECK(a.category == b.category);
  CHECK(a.project == b.project);
  CHECK(a.due_date == b.due_date);
  CHECK(a.assigned_to == b.assigned_to);
  CHECK(a.created_by == b.created_by);
  CHECK(a.created_at == b.created_at);
  CHECK(a.updated_at == b.updated_at);
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

  const Task stored = store.insert_task(input);
  CHECK(stored.id > 0);
  CHECK(stored.id != 777);
  Task expected = input;
  expected.id = stored.id;
  check_same(stored, expected);

  const auto found = store.find_task(stored.id);
  REQUIRE(found.has_value());
  check_same(*found, expected);
  CHECK_FALSE(store.find_task(stored.id + 1000).has_value());

  SUBCASE("nullable fields round trip as null") {
    const Task plain = store.insert_task(new_task("Plain"));
    const Task back = *store.find_task(plain.id);
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

  SUBCASE("update stores every field") {
    const Task updated = store.update_task(stored.id, [&](Task& t) {
      CHECK(t.title == "Write report");
      t.id = 5;  // ignored
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
    CHECK(updated.id == stored.id);
    CHECK(updated.title == "Write the report");
    const Task back = *store.find_task(stored.id);
    check_same(back, updated);
    CHECK(back.status == TaskStatus::kDone);
    CHECK_FALSE(back.category.has_value());
    CHECK(back.project == "gemini");
    CHECK_FALSE(back.due_date.has_value());
    CHECK(back.assigned_to == ada.id);
    CHECK(back.updated_at == kT0 + 50);
    CHECK(back.created_at == kT0 + 1);
  }

  SUBCASE("update of a missing task") {
    bool called = false;
    const Error e = catch_error(
        [&] { store.update_task(stored.id + 99, [&](Task&) { called = true; }); });
    CHECK(e.code() == ErrorCode::kNotFound);
    CHECK_FALSE(called);
  }

  SUBCASE("throwing update callback rolls back") {
    const Error e = catch_error([&] {
      store.update_task(stored.id, [](Task& t) {
        t.title = "Half written";
        t.status = TaskStatus::kTodo;
        throw Error::permission_denied();
      });
    });
    CHECK(e.code() == ErrorCode::kPermissionDenied);
    check_same(*store.find_task(stored.id), expected);
    CHECK(search_count(store, "half") == 0);
    CHECK(search_count(store, "report") == 1);
  }

  SUBCASE("update to an unknown assignee") {
    const Error e = catch_error([&] {
      store.update_task(stored.id, [](Task& t) {
        t.title = "Renamed";
        t.assigned_to = 4242;
      });
    });
    CHECK(e.code() == ErrorCode::kValidationError);
    REQUIRE(e.field_errors().count("assigned_to") == 1);
    CHECK(e.field_errors().at("assigned_to") ==
          std::vector<std::string>{"Invalid pk \"4242\" - object does not exist."});
    check_same(*store.find_task(stored.id), expected);
  }

  SUBCASE("delete returns the task as it was") {
    bool checked = false;
    const Task removed = store.delete_task(stored.id, [&](const Task& t) {
      checked = true;
      CHECK(t.title == "Write report");
    });
    CHECK(checked);
    check_same(removed, expected);
    CHECK_FALSE(store.find_task(stored.id).has_value());
    CHECK(search_count(store, "report") == 0);
    CHECK(store.query_tasks({}, {1, 20}).count == 0);
    const Error e = catch_error([&] { store.delete_task(stored.id, [](const Task&) {}); });
    CHECK(e.code() == ErrorCode::kNotFound);
  }

  SUBCASE("refused delete keeps the task") {
    const Error e = catch_error([&] {
      store.delete_task(stored.id,
                        [](const Task&) { throw Error::permission_denied(); });
    });
    CHECK(e.code() == ErrorCode::kPermissionDenied);
    check_same(*store.find_task(stored.id), expected);
    CHECK(search_count(store, "report") == 1);
  }

  SUBCASE("ids of deleted tasks are not reused") {
    const Task second = store.insert_task(new_task("Second"));
    store.delete_task(second.id, [](const Task&) {});
    const Task third = store.insert_task(new_task("Third"));
    CHECK(third.id > second.id);
  }
}

TEST_CASE_TEMPLATE("store tasks: unknown assignee inserts nothing", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  Task task = new_task("Orphan task");
  task.assigned_to = ada.id + 50;
  const Error e = catch_error([&] { store.insert_task(task); });
  CHECK(e.code() == ErrorCode::kValidationError);
  REQUIRE(e.field_errors().count("assigned_to") == 1);
  CHECK(e.field_errors().at("assigned_to").front() ==
        "Invalid pk \"" + std::to_string(ada.id + 50) + "\" - object does not exist.");
  CHECK(store.query_tasks({}, {1, 20}).count == 0);
  CHECK(search_count(store, "orphan") == 0);

  task.assigned_to = ada.id;
  const Task stored = store.insert_task(task);
  CHECK(stored.assigned_to == ada.id);
  CHECK(store.query_tasks({}, {1, 20}).count == 1);
}

TEST_CASE_TEMPLATE("store tasks: full text index follows writes", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Task a = store.insert_task(new_task("Alpha rocket", "Fuel tanks"));
  const Task b = store.insert_task(new_task("Beta rocket", "Launch pad"));
  CHECK(search_count(store, "rocket") == 2);
  CHECK(search_count(store, "fuel") == 1);

  store.update_task(a.id, [](Task& t) {
    t.title = "Gamma probe";
    t.description = "Solar panels";
  });
  CHECK(search_count(store, "rocket") == 1);
  CHECK(search_count(store, "alpha") == 0);
  CHECK(search_count(store, "fuel") == 0);
  CHECK(search_count(store, "gamma") == 1);
  CHECK(search_count(store, "solar") == 1);

  // A change that leaves the text alone keeps it searchable.
  store.update_task(b.id, [](Task& t) { t.status = TaskStatus::kDone; });
  CHECK(search_count(store, "launch") == 1);

  store.delete_task(b.id, [](const Task&) {});
  CHECK(search_count(store, "rocket") == 0);
  CHECK(search_count(store, "launch") == 0);
  CHECK(search_count(store, "gamma") == 1);
}

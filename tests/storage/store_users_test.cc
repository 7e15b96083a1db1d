#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::vector<std::int64_t> ids_of(const Page<User>& page) {
  std::vector<std::int64_t> ids;
  for (const User& u : page.items) ids.push_back(u.id);
  return ids;
}

}  // namespace

TEST_CASE_TEMPLATE("store users: insert and find", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;

  const User ada = add_user(store, "ada", Role::kAdmin, kT0 + 5);
  CHECK(ada.id > 0);
  CHECK(ada.username == "ada");
  CHECK(ada.email == "ada@example.com");
  CHECK(ada.role == Role::kAdmin);
  CHECK(ada.is_active);
  CHECK(ada.date_joined == kT0 + 5);
  CHECK_FALSE(ada.last_login.has_value());

  const User bob = add_user(store, "bob", Role::kViewer, kT0, false);
  CHECK(bob.id != ada.id);

  const auto found = store.find_user(ada.id);
  REQUIRE(found.has_value());
  CHECK(found->username == "ada");
  CHECK(found->role == Role::kAdmin);
  CHECK(found->date_joined == kT0 + 5);

  const auto found_bob = store.find_user(bob.id);
  REQUIRE(found_bob.has_value());
  CHECK(found_bob->role == Role::kViewer);
  CHECK_FALSE(found_bob->is_active);

  CHECK_FALSE(store.find_user(bob.id + 100).has_value());

  SUBCASE("credentials by exact username") {
    const auto creds = store.find_credentials("ada");
    REQUIRE(creds.has_value());
    CHECK(creds->user.id == ada.id);
    CHECK(creds->password_hash == "hash-of-ada");
    CHECK_FALSE(store.find_credentials("ADA").has_value());
    CHECK_FALSE(store.find_credentials("nobody").has_value());
  }

  SUBCASE("record_login") {
    store.record_login(ada.id, kT0 + 42);
    CHECK(store.find_user(ada.id)->last_login == kT0 + 42);
    CHECK_FALSE(store.find_user(bob.id)->last_login.has_value());
  }
}

TEST_CASE_TEMPLATE("store users: unique username and email", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  add_user(store, "ada");

  SUBCASE("username taken (exact)") {
    NewUserRecord record{"ada", "other@example.com", "h", Role::kMember, true, kT0};
    const Error e = catch_error([&] { store.insert_user(record); });
    CHECK(e.code() == ErrorCode::kConflict);
    REQUIRE(e.field_errors().count("username") == 1);
    CHECK(e.field_errors().at("username") ==
          std::vector<std::string>{"A user with that username already exists."});
    CHECK(e.field_errors().count("email") == 0);
  }
  SUBCASE("username differing in case is another user") {
    NewUserRecord record{"Ada", "ada2@example.com", "h", Role::kMember, true, kT0};
    CHECK(store.insert_user(record).username == "Ada");
  }
  SUBCASE("email taken ignoring case") {
    NewUserRecord record{"ada2", "ADA@Example.COM", "h", Role::kMember, true, kT0};
    const Error e = catch_error([&] { store.insert_user(record); });
    CHECK(e.code() == ErrorCode::kConflict);
    REQUIRE(e.field_errors().count("email") == 1);
    CHECK(e.field_errors().at("email") ==
          std::vector<std::string>{"A user with that email already exists."});
  }
  // A refused insert leaves nothing behind.
  const Page<User> all = store.list_users({}, {1, 100});
  CHECK(all.count == static_cast<std::int64_t>(all.items.size()));
  CHECK(std::count_if(all.items.begin(), all.items.end(),
                      [](const User& u) { return u.username == "ada2"; }) == 0);
}

TEST_CASE_TEMPLATE("store users: update_user", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User root = add_user(store, "root", Role::kAdmin);
  const User second = add_user(store, "second", Role::kAdmin);
  add_user(store, "retired", Role::kAdmin, kT0, /*active=*/false);
  const User mia = add_user(store, "mia", Role::kMember);

  SUBCASE("change sees the active admin count and stores three fields") {
    std::int64_t seen = -1;
    const User updated = store.update_user(mia.id, [&](User& u, std::int64_t admins) {
      seen = admins;
      u.email = "Mia@New.example";
      u.role = Role::kManager;
      u.is_active = false;
      u.username = "hacked";  // not the caller's to change
      u.date_joined = 1;
    });
    CHECK(seen == 2);
    CHECK(updated.id == mia.id);
    CHECK(updated.username == "mia");
    CHECK(updated.email == "Mia@New.example");
    CHECK(updated.role == Role::kManager);
    CHECK_FALSE(updated.is_active);
    CHECK(updated.date_joined == kT0);
    const User stored = *store.find_user(mia.id);
    CHECK(stored.username == "mia");
    CHECK(stored.email == "Mia@New.example");
    CHECK(stored.role == Role::kManager);
    CHECK_FALSE(stored.is_active);
    CHECK(stored.date_joined == kT0);
  }
  SUBCASE("active admin count follows changes") {
    store.update_user(second.id, [](User& u, std::int64_t) { u.is_active = false; });
    std::int64_t seen = -1;
    store.update_user(root.id, [&](User&, std::int64_t admins) { seen = admins; });
    CHECK(seen == 1);
  }
  SUBCASE("a throwing callback changes nothing") {
    const Error e = catch_error([&] {
      store.update_user(root.id, [](User& u, std::int64_t admins) {
        u.role = Role::kViewer;
        u.email = "changed@example.com";
        if (admins <= 2) throw Error::conflict("Cannot demote the last admin.");
      });
    });
    CHECK(e.code() == ErrorCode::kConflict);
    CHECK(std::string(e.what()) == "Cannot demote the last admin.");
    const User stored = *store.find_user(root.id);
    CHECK(stored.role == Role::kAdmin);
    CHECK(stored.email == "root@example.com");
  }
  SUBCASE("email taken by another user ignoring case") {
    const Error e = catch_error([&] {
      store.update_user(mia.id, [](User& u, std::int64_t) {
        u.email = "ROOT@example.com";
        u.role = Role::kViewer;
      });
    });
    CHECK(e.code() == ErrorCode::kConflict);
    CHECK(e.field_errors().count("email") == 1);
    CHECK(store.find_user(mia.id)->email == "mia@example.com");
    CHECK(store.find_user(mia.id)->role == Role::kMember);
  }
  SUBCASE("own email in another case is fine") {
    const User u = store.update_user(
        mia.id, [](User& u, std::int64_t) { u.email = "MIA@example.com"; });
    CHECK(u.email == "MIA@example.com");
  }
  SUBCASE("unknown user") {
    bool called = false;
    const Error e = catch_error([&] {
      store.update_user(9999, [&](User&, std::int64_t) { called = true; });
    });
    CHECK(e.code() == ErrorCode::kNotFound);
    CHECK_FALSE(called);
  }
}

TEST_CASE_TEMPLATE("store users: list_users", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  constexpr Timestamp kDay = 86'400'000;
  // Joined 2025-01-01 00:00, 2025-01-02 23:59:59.999, 2025-01-03 00:00 ...
  const User a = add_user(store, "alice", Role::kAdmin, kT0);
  const User b = add_user(store, "bob_smith", Role::kMember, kT0 + 2 * kDay - 1);
  const User c = add_user(store, "carol", Role::kManager, kT0 + 2 * kDay, false);
  const User d = add_user(store, "dave%", Role::kViewer, kT0 + 5 * kDay);
  const User e = add_user(store, "bobby", Role::kMember, kT0 + 6 * kDay, false);

  SUBCASE("no filter: all, by id") {
    const Page<User> page = store.list_users({}, {1, 20});
    CHECK(page.count == 5);
    CHECK(ids_of(page) == std::vector<std::int64_t>{a.id, b.id, c.id, d.id, e.id});
    CHECK(page.items[1].email == "bob_smith@example.com");
  }
  SUBCASE("is_active") {
    UserFilter f;
    f.is_active = false;
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{c.id, e.id});
    f.is_active = true;
    const Page<User> page = store.list_users(f, {1, 20});
    CHECK(page.count == 3);
    CHECK(ids_of(page) == std::vector<std::int64_t>{a.id, b.id, d.id});
  }
  SUBCASE("roles ORed") {
    UserFilter f;
    f.roles = {Role::kMember};
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{b.id, e.id});
    f.roles = {Role::kAdmin, Role::kViewer};
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{a.id, d.id});
  }
  SUBCASE("registration dates inclusive by UTC day") {
    UserFilter f;
    f.registered_from = day(2025, 1, 2);
    f.registered_to = day(2025, 1, 3);
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{b.id, c.id});
    UserFilter from_only;
    from_only.registered_from = day(2025, 1, 6);
    CHECK(ids_of(store.list_users(from_only, {1, 20})) == std::vector<std::int64_t>{d.id, e.id});
    UserFilter to_only;
    to_only.registered_to = day(2025, 1, 1);
    CHECK(ids_of(store.list_users(to_only, {1, 20})) == std::vector<std::int64_t>{a.id});
  }
  SUBCASE("search: substring of username or email, ignoring case") {
    UserFilter f;
    f.search = "BOB";
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{b.id, e.id});
    f.search = "example.com";
    CHECK(store.list_users(f, {1, 20}).count == 5);
    f.search = "ice@EXAMPLE";
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{a.id});
  }
  SUBCASE("search: LIKE wildcards are literal") {
    UserFilter f;
    f.search = "%";
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{d.id});
    f.search = "_";
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{b.id});
    f.search = "b_b";
    CHECK(store.list_users(f, {1, 20}).count == 0);
    f.search = "\\";
    CHECK(store.list_users(f, {1, 20}).count == 0);
    f.search = "' OR 1=1 --";
    CHECK(store.list_users(f, {1, 20}).count == 0);
  }
  SUBCASE("filters combine") {
    UserFilter f;
    f.search = "bob";
    f.is_active = true;
    f.roles = {Role::kMember, Role::kAdmin};
    CHECK(ids_of(store.list_users(f, {1, 20})) == std::vector<std::int64_t>{b.id});
  }
  SUBCASE("paging") {
    const Page<User> p1 = store.list_users({}, {1, 2});
    const Page<User> p2 = store.list_users({}, {2, 2});
    const Page<User> p3 = store.list_users({}, {3, 2});
    const Page<User> p4 = store.list_users({}, {4, 2});
    CHECK(ids_of(p1) == std::vector<std::int64_t>{a.id, b.id});
    CHECK(ids_of(p2) == std::vector<std::int64_t>{c.id, d.id});
    CHECK(ids_of(p3) == std::vector<std::int64_t>{e.id});
    CHECK(p4.items.empty());
    CHECK(p1.count == 5);
    CHECK(p4.count == 5);
    CHECK(p1.has_next());
    CHECK_FALSE(p3.has_next());
  }
}

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

Page<User> list_users(Store& store, const UserFilter& filter, const PageRequest& page) {
  return store.read([&](Transaction& tx) { return tx.users().query(filter, page); });
}

std::optional<User> find_user(Store& store, std::int64_t id) {
  return store.read([&](Transaction& tx) { return tx.users().find(id); });
}

UserUniqueField taken(Store& store, std::string_view username, std::string_view email,
                      std::int64_t except_id = 0) {
  return store.read(
      [&](Transaction& tx) { return tx.users().taken(username, email, except_id); });
}

std::int64_t active_admins(Store& store) {
  return store.write([](Transaction& tx) { return tx.users().count_active_admins_locked(); });
}

}  // namespace

TEST_CASE_TEMPLATE("store users: insert and find", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;

  const User ada = add_user(store, "ada", Role::kAdmin, kT0 + 5);
  CHECK(ada.id > 0);
  const User bob = add_user(store, "bob", Role::kViewer, kT0, false);
  CHECK(bob.id != ada.id);

  const auto found = find_user(store, ada.id);
  REQUIRE(found.has_value());
  CHECK(found->username == "ada");
  CHECK(found->email == "ada@example.com");
  CHECK(found->role == Role::kAdmin);
  CHECK(found->is_active);
  CHECK(found->date_joined == kT0 + 5);
  CHECK_FALSE(found->last_login.has_value());

  const auto found_bob = find_user(store, bob.id);
  REQUIRE(found_bob.has_value());
  CHECK(found_bob->role == Role::kViewer);
  CHECK_FALSE(found_bob->is_active);

  CHECK_FALSE(find_user(store, bob.id + 100).has_value());
  CHECK(store.read([&](Transaction& tx) { return tx.users().exists(ada.id); }));
  CHECK_FALSE(store.read([&](Transaction& tx) { return tx.users().exists(bob.id + 100); }));

  SUBCASE("credentials by exact username") {
    const auto creds =
        store.read([](Transaction& tx) { return tx.users().find_by_username("ada"); });
    REQUIRE(creds.has_value());
    CHECK(creds->user.id == ada.id);
    CHECK(creds->password_hash == "hash-of-ada");
    CHECK_FALSE(store.read([](Transaction& tx) {
      return tx.users().find_by_username("ADA");
    }).has_value());
  }

  SUBCASE("last login and password hash") {
    store.write([&](Transaction& tx) {
      tx.users().set_last_login(ada.id, kT0 + 42);
      tx.users().set_password_hash(ada.id, "new-hash");
    });
    CHECK(find_user(store, ada.id)->last_login == kT0 + 42);
    CHECK_FALSE(find_user(store, bob.id)->last_login.has_value());
    CHECK(store.read([](Transaction& tx) {
      return tx.users().find_by_username("ada")->password_hash;
    }) == "new-hash");
  }
}

TEST_CASE_TEMPLATE("store users: taken usernames and emails", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  CHECK(taken(store, "ada", "other@example.com") == UserUniqueField::kUsername);
  CHECK(taken(store, "Ada", "ada2@example.com") == UserUniqueField::kNone);
  CHECK(taken(store, "ada2", "ADA@Example.COM") == UserUniqueField::kEmail);
  CHECK(taken(store, "", "ada@example.com") == UserUniqueField::kEmail);
  // A user's own values are not taken from itself.
  CHECK(taken(store, "ada", "ADA@example.com", ada.id) == UserUniqueField::kNone);
  // Usernames differing in case are different users.
  NewUserRecord other_case{"Ada", "ada2@example.com", "h", Role::kMember, true, kT0};
  CHECK(store.write([&](Transaction& tx) { return tx.users().insert(other_case); }) > ada.id);
  // The unique email index is the backstop: a duplicate insert fails and
  // leaves nothing behind.
  NewUserRecord dup{"ada3", "ADA@example.com", "h", Role::kMember, true, kT0};
  CHECK_THROWS_AS(store.write([&](Transaction& tx) { tx.users().insert(dup); }), Error);
  CHECK(list_users(store, {}, {1, 100}).count == 2);
}

TEST_CASE_TEMPLATE("store users: update and the active admin count", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  add_user(store, "root", Role::kAdmin);
  const User second = add_user(store, "second", Role::kAdmin);
  add_user(store, "retired", Role::kAdmin, kT0, /*active=*/false);
  const User mia = add_user(store, "mia", Role::kMember);
  CHECK(active_admins(store) == 2);

  User changed = *find_user(store, mia.id);
  changed.email = "Mia@New.example";
  changed.role = Role::kManager;
  changed.is_active = false;
  changed.username = "hacked";  // not stored by update()
  changed.date_joined = 1;
  store.write([&](Transaction& tx) { tx.users().update(changed); });
  const User stored = *find_user(store, mia.id);
  CHECK(stored.username == "mia");
  CHECK(stored.email == "Mia@New.example");
  CHECK(stored.role == Role::kManager);
  CHECK_FALSE(stored.is_active);
  CHECK(stored.date_joined == kT0);

  User demoted = *find_user(store, second.id);
  demoted.role = Role::kMember;
  store.write([&](Transaction& tx) { tx.users().update(demoted); });
  CHECK(active_admins(store) == 1);
  CHECK_THROWS(store.write([&](Transaction& tx) {
    User back = demoted;
    back.role = Role::kAdmin;
    tx.users().update(back);
    throw Error::conflict("no");
  }));
  CHECK(active_admins(store) == 1);
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
    const Page<User> page = list_users(store, {}, {1, 20});
    CHECK(page.count == 5);
    CHECK(ids_of(page) == std::vector<std::int64_t>{a.id, b.id, c.id, d.id, e.id});
    CHECK(page.items[1].email == "bob_smith@example.com");
  }
  SUBCASE("is_active") {
    UserFilter f;
    f.is_active = false;
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{c.id, e.id});
    f.is_active = true;
    const Page<User> page = list_users(store, f, {1, 20});
    CHECK(page.count == 3);
    CHECK(ids_of(page) == std::vector<std::int64_t>{a.id, b.id, d.id});
  }
  SUBCASE("roles ORed") {
    UserFilter f;
    f.roles = {Role::kMember};
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{b.id, e.id});
    f.roles = {Role::kAdmin, Role::kViewer};
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{a.id, d.id});
  }
  SUBCASE("registration dates inclusive by UTC day") {
    UserFilter f;
    f.registered_from = day(2025, 1, 2);
    f.registered_to = day(2025, 1, 3);
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{b.id, c.id});
    UserFilter from_only;
    from_only.registered_from = day(2025, 1, 6);
    CHECK(ids_of(list_users(store, from_only, {1, 20})) == std::vector<std::int64_t>{d.id, e.id});
    UserFilter to_only;
    to_only.registered_to = day(2025, 1, 1);
    CHECK(ids_of(list_users(store, to_only, {1, 20})) == std::vector<std::int64_t>{a.id});
  }
  SUBCASE("search: substring of username or email, ignoring case") {
    UserFilter f;
    f.search = "BOB";
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{b.id, e.id});
    f.search = "example.com";
    CHECK(list_users(store, f, {1, 20}).count == 5);
    f.search = "ice@EXAMPLE";
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{a.id});
  }
  SUBCASE("search: LIKE wildcards are literal") {
    UserFilter f;
    f.search = "%";
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{d.id});
    f.search = "_";
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{b.id});
    f.search = "b_b";
    CHECK(list_users(store, f, {1, 20}).count == 0);
    f.search = "\\";
    CHECK(list_users(store, f, {1, 20}).count == 0);
    f.search = "' OR 1=1 --";
    CHECK(list_users(store, f, {1, 20}).count == 0);
  }
  SUBCASE("filters combine") {
    UserFilter f;
    f.search = "bob";
    f.is_active = true;
    f.roles = {Role::kMember, Role::kAdmin};
    CHECK(ids_of(list_users(store, f, {1, 20})) == std::vector<std::int64_t>{b.id});
  }
  SUBCASE("paging") {
    const Page<User> p1 = list_users(store, {}, {1, 2});
    const Page<User> p2 = list_users(store, {}, {2, 2});
    const Page<User> p3 = list_users(store, {}, {3, 2});
    const Page<User> p4 = list_users(store, {}, {4, 2});
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

#include <doctest/doctest.h>

#include "support/fixtures.h"
#include "taskcore/sqlite_store.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;

namespace {

Error caught(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected an error");
  return Error::internal();
}

}  // namespace

TEST_CASE_FIXTURE(CoreFixture, "registration creates an active member") {
  User user = core->users().register_user(
      {"new.user+1@x", "New@Example.COM", "s3cret-pass", Role::kAdmin});
  CHECK(user.id > 0);
  CHECK(user.username == "new.user+1@x");
  CHECK(user.email == "New@example.com");  // domain part lowercased
  CHECK(user.role == Role::kMember);       // never what the caller asked
  CHECK(user.is_active);
  CHECK(user.date_joined == clock->now());
  CHECK_FALSE(user.last_login);
}

TEST_CASE_FIXTURE(CoreFixture, "registration validates every field") {
  auto errors = caught([&] {
                  core->users().register_user({"a!", "not-an-email", "1234567", Role::kMember});
                }).field_errors();
  CHECK(errors.count("username") == 1);
  CHECK(errors.at("email") == std::vector<std::string>{"Enter a valid email address."});
  auto password = errors.at("password");
  CHECK(password.size() == 2);  // too short and entirely numeric

  CHECK(caught([&] {
          core->users().register_user({"ab", "a@b.co", "longenough", Role::kMember});
        }).field_errors().count("username") == 1);
  CHECK(caught([&] {
          core->users().register_user({std::string(151, 'a'), "a@b.co", "longenough", Role::kMember});
        }).field_errors().count("username") == 1);
  CHECK(caught([&] {
          core->users().register_user({"okname", "a@b.co", "123456789", Role::kMember});
        }).field_errors().at("password") ==
        std::vector<std::string>{"This password is entirely numeric."});
  CHECK(caught([&] {
          core->users().register_user({"", "", "", Role::kMember});
        }).field_errors().size() == 3);
  for (const char* bad : {"a@b", "@b.co", "a@.co", "a b@c.co", "a@b..co", "a@-b.co"}) {
    CAPTURE(bad);
    CHECK(caught([&] {
            core->users().register_user({"okname", bad, "longenough", Role::kMember});
          }).field_errors().count("email") == 1);
  }
}

TEST_CASE_FIXTURE(CoreFixture, "addresses at localhost are valid, as in Django") {
  CHECK(core->users().create_user({"root", "root@localhost", "longenough", Role::kAdmin}).email ==
        "root@localhost");
}

TEST_CASE_FIXTURE(CoreFixture, "usernames and emails are unique") {
  core->users().register_user({"taken", "first@example.com", "longenough", Role::kMember});
  Error same_name = caught([&] {
    core->users().register_user({"taken", "other@example.com", "longenough", Role::kMember});
  });
  CHECK(same_name.code() == ErrorCode::kConflict);
  CHECK(same_name.field_errors().count("username") == 1);

  Error same_email = caught([&] {
    core->users().register_user({"other", "FIRST@example.com", "longenough", Role::kMember});
  });
  CHECK(same_email.code() == ErrorCode::kConflict);
  CHECK(same_email.field_errors().count("email") == 1);
  // Usernames are case-sensitive, like Django's.
  CHECK_NOTHROW(core->users().register_user({"TAKEN", "third@example.com", "longenough", Role::kMember}));
}

TEST_CASE("registration can be switched off") {
  taskcore::testing::TempDir dir;
  Options options;
  options.store = open_sqlite_store({.path = dir.file("off.db")});
  options.password_cost = PasswordCost::fast();
  options.auth.registration_enabled = false;
  Core core(std::move(options));
  Error e = caught([&] {
    core.users().register_user({"someone", "s@example.com", "longenough", Role::kMember});
  });
  CHECK(e.code() == ErrorCode::kPermissionDenied);
  // Admin-side creation still works.
  CHECK(core.users().create_user({"someone", "s@example.com", "longenough", Role::kViewer}).role ==
        Role::kViewer);
}

TEST_CASE_FIXTURE(CoreFixture, "ensure_admin creates once") {
  CHECK(core->users().ensure_admin({"root", "root@localhost.local", "rootpassword", Role::kMember}));
  CHECK_FALSE(core->users().ensure_admin({"root", "root@localhost.local", "rootpassword", Role::kMember}));
  auto page = core->users().list(make_user("admin2", Role::kAdmin), {}, {});
  CHECK(page.items.at(0).username == "root");
  CHECK(page.items.at(0).role == Role::kAdmin);
}

TEST_CASE_FIXTURE(CoreFixture, "admin routes need the admin role") {
  Principal manager = make_user("boss", Role::kManager);
  Principal admin = make_user("root", Role::kAdmin);
  CHECK(caught([&] { core->users().list(manager, {}, {}); }).code() ==
        ErrorCode::kPermissionDenied);
  CHECK(caught([&] { core->users().get(manager, admin.user_id); }).code() ==
        ErrorCode::kPermissionDenied);
  CHECK(caught([&] { core->users().update(manager, admin.user_id, {}); }).code() ==
        ErrorCode::kPermissionDenied);
  CHECK(caught([&] { core->users().toggle_active(manager, admin.user_id); }).code() ==
        ErrorCode::kPermissionDenied);
  CHECK(caught([&] { core->users().get(admin, 999); }).code() == ErrorCode::kNotFound);
  CHECK(core->users().get(admin, manager.user_id).username == "boss");
  CHECK(core->users().me(manager).username == "boss");
}

TEST_CASE_FIXTURE(CoreFixture, "admin update: email, role, is_active") {
  Principal admin = make_user("root", Role::kAdmin);
  Principal member = make_user("mem", Role::kMember);
  UserUpdateInput input;
  input.email = "Changed@Example.com";
  input.role = "manager";
  input.is_active = false;
  User user = core->users().update(admin, member.user_id, input);
  CHECK(user.email == "Changed@example.com");
  CHECK(user.role == Role::kManager);
  CHECK_FALSE(user.is_active);

  UserUpdateInput bad;
  bad.role = "owner";
  bad.email = "nope";
  auto errors = caught([&] { core->users().update(admin, member.user_id, bad); })
                    .field_errors();
  CHECK(errors.count("role") == 1);
  CHECK(errors.count("email") == 1);

  UserUpdateInput taken;
  taken.email = "ROOT@example.com";
  CHECK(caught([&] { core->users().update(admin, member.user_id, taken); }).code() ==
        ErrorCode::kConflict);
  CHECK(core->users().get(admin, member.user_id).email == "Changed@example.com");
}

TEST_CASE_FIXTURE(CoreFixture, "the last active admin stays") {
  Principal admin = make_user("root", Role::kAdmin);
  UserUpdateInput demote;
  demote.role = "member";
  CHECK(caught([&] { core->users().update(admin, admin.user_id, demote); }).code() ==
        ErrorCode::kConflict);
  UserUpdateInput deactivate;
  deactivate.is_active = false;
  CHECK(caught([&] { core->users().update(admin, admin.user_id, deactivate); }).code() ==
        ErrorCode::kConflict);
  CHECK(caught([&] { core->users().toggle_active(admin, admin.user_id); }).code() ==
        ErrorCode::kConflict);
  CHECK(core->users().get(admin, admin.user_id).role == Role::kAdmin);

  // With a second active admin, the first may step down.
  Principal second = make_user("root2", Role::kAdmin);
  CHECK(core->users().update(admin, admin.user_id, demote).role == Role::kMember);
  CHECK(caught([&] { core->users().toggle_active(second, second.user_id); }).code() ==
        ErrorCode::kConflict);
  // Re-saving an admin as admin is not a demotion.
  UserUpdateInput keep;
  keep.role = "admin";
  CHECK(core->users().update(second, second.user_id, keep).role == Role::kAdmin);
}

TEST_CASE_FIXTURE(CoreFixture, "toggle-active flips") {
  Principal admin = make_user("root", Role::kAdmin);
  Principal member = make_user("mem", Role::kMember);
  CHECK_FALSE(core->users().toggle_active(admin, member.user_id).is_active);
  CHECK(core->users().toggle_active(admin, member.user_id).is_active);
}

TEST_CASE_FIXTURE(CoreFixture, "admin user list filters") {
  Principal admin = make_user("root", Role::kAdmin);
  make_user("viewer1", Role::kViewer);
  clock->advance_s(86400 * 3);
  Principal later = make_user("member1", Role::kMember);
  core->users().toggle_active(admin, later.user_id);

  auto count = [&](const QueryParams& params) {
    return core->users().list(admin, parse_user_filter(params), parse_page_request(params)).count;
  };
  CHECK(count({}) == 3);
  CHECK(count({{"is_active", "false"}}) == 1);
  CHECK(count({{"is_active", "true"}}) == 2);
  CHECK(count({{"role", "admin,viewer"}}) == 2);
  CHECK(count({{"registration_date_start", "2025-01-02"}}) == 1);
  CHECK(count({{"registration_date_end", "2025-01-01"}}) == 2);
  CHECK(count({{"search", "MEMBER"}}) == 1);
  CHECK(count({{"search", "example.com"}}) == 3);
  CHECK(count({{"search", "%"}}) == 0);
  CHECK_THROWS_AS(parse_user_filter({{"is_active", "maybe"}}), Error);
  CHECK_THROWS_AS(parse_user_filter({{"role", "owner"}}), Error);
}

// DRF's ProhibitNullCharactersValidator, on every CharField.
TEST_CASE_FIXTURE(CoreFixture, "user text fields refuse NUL characters") {
  const std::string with_null("a\0b", 3);
  const std::vector<std::string> refused{"Null characters are not allowed."};
  const FieldErrors errors = caught([&] {
                               core->users().register_user({with_null + "cd", "someone@example.com",
                                                            "long enough" + with_null, Role::kMember});
                             }).field_errors();
  CHECK(errors.at("username") == refused);
  CHECK(errors.at("password") == refused);
  CHECK(caught([&] {
          core->users().register_user({"someone", std::string("a\0b@example.com", 15),
                                       "long enough", Role::kMember});
        }).field_errors().at("email") == refused);
}

#include <doctest/doctest.h>

#include <algorithm>

#include "support/fixtures.h"
#include "taskcore/sqlite_store.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;

namespace {

std::string login_error(Core& core, const std::string& user, const std::string& pass) {
  try {
    core.auth().login(user, pass);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kAuthenticationFailed);
    return e.what();
  }
  FAIL("expected authentication_failed");
  return {};
}

ErrorCode auth_error(Core& core, const std::string& token) {
  try {
    core.auth().authenticate(token);
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kInternalError;  // i.e. it was accepted
}

}  // namespace

TEST_CASE_FIXTURE(CoreFixture, "login issues tokens that authenticate") {
  Principal mem = make_user("mem", Role::kMember);
  LoginResult result = core->auth().login("mem", "password123");
  CHECK(result.user.id == mem.user_id);
  CHECK(result.user.last_login == clock->now());
  CHECK(result.tokens.expires_in == 900);
  CHECK(result.tokens.access != result.tokens.refresh);
  // JWT shape: three base64url segments.
  CHECK(std::count(result.tokens.access.begin(), result.tokens.access.end(), '.') == 2);

  AuthenticatedUser who = core->auth().authenticate(result.tokens.access);
  CHECK(who.user.username == "mem");
  CHECK(who.principal.user_id == mem.user_id);
  CHECK(who.principal.role == Role::kMember);
  CHECK_FALSE(who.principal.session_id.empty());
  CHECK(core->users().me(who.principal).last_login == clock->now());
}

TEST_CASE_FIXTURE(CoreFixture, "bad credentials all look the same") {
  make_user("mem", Role::kMember);
  Principal admin = make_user("root", Role::kAdmin);
  Principal gone = make_user("gone", Role::kMember);
  core->users().toggle_active(admin, gone.user_id);

  const std::string wrong = login_error(*core, "mem", "wrong-password");
  CHECK(login_error(*core, "nobody", "password123") == wrong);
  CHECK(login_error(*core, "gone", "password123") == wrong);
}

TEST_CASE_FIXTURE(CoreFixture, "login: both fields required and not blank, before any lookup") {
  const Principal admin = make_user("root", Role::kAdmin);
  LoginInput input;
  input.password = std::optional<std::string>{};  // null
  try {
    core->auth().login(input);
    FAIL("expected validation_error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    CHECK(e.field_errors().at("username") ==
          std::vector<std::string>{"This field is required."});
    CHECK(e.field_errors().at("password") ==
          std::vector<std::string>{"This field may not be null."});
  }
  try {
    core->auth().login("", "");
    FAIL("expected validation_error");
  } catch (const Error& e) {
    CHECK(e.field_errors().at("username") ==
          std::vector<std::string>{"This field may not be blank."});
  }
  input.username = std::optional<std::string>("root");
  input.password.reset();
  input.decode_errors["password"] = {"Not a valid string."};
  try {
    core->auth().login(input);
    FAIL("expected validation_error");
  } catch (const Error& e) {
    CHECK(e.field_errors().at("password") == std::vector<std::string>{"Not a valid string."});
  }
  // None of these reached the credentials: no failed login was recorded.
  AuditFilter failed;
  failed.actions = {kAuditLoginFailed};
  CHECK(core->audit().list(admin, failed, {}).count == 0);
}

TEST_CASE_FIXTURE(CoreFixture, "logins and failed logins are audited with their origin") {
  const Principal admin = make_user("root", Role::kAdmin);
  const Origin origin{"10.0.0.7", "req-login"};
  core->auth().login("root", "password123", origin);
  CHECK_THROWS(core->auth().login("root", "nope-nope", origin));
  CHECK_THROWS(core->auth().login("ghost", "password123", origin));

  AuditFilter filter;
  filter.actions = {kAuditLogin, kAuditLoginFailed};
  const Page<AuditEntry> page = core->audit().list(admin, filter, {});
  REQUIRE(page.count == 3);
  const AuditEntry& ok = page.items[2];
  CHECK(ok.action == "login");
  CHECK(ok.actor_id == admin.user_id);
  CHECK(ok.target_id == admin.user_id);
  CHECK(ok.ip == "10.0.0.7");
  CHECK(ok.request_id == "req-login");
  const AuditEntry& wrong = page.items[1];
  CHECK(wrong.action == "login_failed");
  CHECK_FALSE(wrong.actor_id.has_value());
  CHECK(wrong.target_id == admin.user_id);
  CHECK(wrong.details_json.find("\"username\":\"root\"") != std::string::npos);
  CHECK(wrong.details_json.find("nope-nope") == std::string::npos);  // never the password
  const AuditEntry& ghost = page.items[0];
  CHECK_FALSE(ghost.target_id.has_value());
  CHECK(ghost.details_json.find("\"username\":\"ghost\"") != std::string::npos);
}

TEST_CASE_FIXTURE(CoreFixture, "access tokens expire") {
  make_user("mem", Role::kMember);
  auto tokens = core->auth().login("mem", "password123").tokens;
  clock->advance_s(899);
  CHECK(auth_error(*core, tokens.access) == ErrorCode::kInternalError);
  clock->advance_s(1);
  CHECK(auth_error(*core, tokens.access) == ErrorCode::kAuthenticationFailed);
}

TEST_CASE_FIXTURE(CoreFixture, "refresh tokens, tampering and garbage are refused as access tokens") {
  make_user("mem", Role::kMember);
  auto tokens = core->auth().login("mem", "password123").tokens;
  CHECK(auth_error(*core, tokens.refresh) == ErrorCode::kAuthenticationFailed);

  std::string tampered = tokens.access;
  const auto dot = tampered.find('.');
  tampered[dot + 3] = tampered[dot + 3] == 'A' ? 'B' : 'A';
  CHECK(auth_error(*core, tampered) == ErrorCode::kAuthenticationFailed);

  std::string bad_signature = tokens.access;
  bad_signature.back() = bad_signature.back() == 'A' ? 'B' : 'A';
  CHECK(auth_error(*core, bad_signature) == ErrorCode::kAuthenticationFailed);

  for (const char* junk : {"", "abc", "a.b.c", "..", "eyJhbGciOiJub25lIn0.e30.",
                           "\xff\xfe.\x01.\x02"}) {
    CAPTURE(junk);
    CHECK(auth_error(*core, junk) == ErrorCode::kAuthenticationFailed);
  }
}

TEST_CASE_FIXTURE(CoreFixture, "deactivating a user rejects its tokens at once") {
  Principal admin = make_user("root", Role::kAdmin);
  Principal mem = make_user("mem", Role::kMember);
  auto tokens = core->auth().login("mem", "password123").tokens;
  core->users().toggle_active(admin, mem.user_id);
  CHECK(auth_error(*core, tokens.access) == ErrorCode::kAuthenticationFailed);
}

TEST_CASE_FIXTURE(CoreFixture, "a role change applies from the next request") {
  Principal admin = make_user("root", Role::kAdmin);
  Principal mem = make_user("mem", Role::kMember);
  auto tokens = core->auth().login("mem", "password123").tokens;
  UserUpdateInput promote;
  promote.role = "manager";
  core->users().update(admin, mem.user_id, promote);
  CHECK(core->auth().authenticate(tokens.access).principal.role == Role::kManager);
}

TEST_CASE("tokens signed by another key are refused; the stored key survives restarts") {
  taskcore::testing::TempDir dir;
  auto open = [&](std::string key) {
    Options options;
    options.store = open_sqlite_store({.path = dir.file("keys.db")});
    options.password_cost = PasswordCost::fast();
    options.auth.signing_key = std::move(key);
    return std::make_unique<Core>(std::move(options));
  };
  std::string token;
  {
    auto core = open("");
    core->users().create_user({"mem", "mem@example.com", "password123", Role::kMember});
    token = core->auth().login("mem", "password123").tokens.access;
  }
  CHECK(open("")->auth().authenticate(token).user.username == "mem");
  CHECK(auth_error(*open("some other key"), token) == ErrorCode::kAuthenticationFailed);
}

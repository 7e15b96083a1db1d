// Sessions: refresh-token rotation and reuse detection, logout, idle and
// absolute expiry, password change and admin resets.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "support/fixtures.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;

namespace {

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kInternalError;  // i.e. it succeeded
}

constexpr ErrorCode kOk = ErrorCode::kInternalError;

FieldErrors field_errors_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    return e.field_errors();
  }
  FAIL("expected a validation_error");
  return {};
}

struct Sessions : CoreFixture {
  Principal admin = make_user("root", Role::kAdmin);
  Principal mem = make_user("mem", Role::kMember);

  ErrorCode access_code(const std::string& token) {
    return code_of([&] { core->auth().authenticate(token); });
  }
  ErrorCode refresh_code(const std::string& token) {
    return code_of([&] { core->auth().refresh(token); });
  }
  Principal principal_of(const TokenPair& tokens) {
    return core->auth().authenticate(tokens.access).principal;
  }
  std::int64_t audit_count(const char* action) {
    AuditFilter filter;
    filter.actions = {action};
    return core->audit().list(admin, filter, {}).count;
  }
};

}  // namespace

TEST_CASE_FIXTURE(Sessions, "refresh rotates; a rotated token again revokes the session") {
  const TokenPair first = core->auth().login("mem", "password123").tokens;
  CHECK(first.refresh.size() == 64);  // opaque: 32 random bytes as hex
  CHECK(first.refresh.find('.') == std::string::npos);
  clock->advance_s(60);
  const TokenPair second = core->auth().refresh(first.refresh);
  CHECK(second.refresh != first.refresh);
  CHECK(second.access != first.access);
  CHECK(second.expires_in == 900);
  CHECK(access_code(second.access) == kOk);
  CHECK(access_code(first.access) == kOk);  // same session, still live

  // The dead token comes back: 401, and the whole session ends.
  CHECK(refresh_code(first.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(access_code(second.access) == ErrorCode::kAuthenticationFailed);
  CHECK(access_code(first.access) == ErrorCode::kAuthenticationFailed);
  CHECK(refresh_code(second.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(audit_count(kAuditRefreshReuse) == 1);
  // Other sessions of the user are untouched.
  const TokenPair other = core->auth().login("mem", "password123").tokens;
  CHECK(access_code(other.access) == kOk);
}

TEST_CASE_FIXTURE(Sessions, "token types are not interchangeable; garbage is refused") {
  const TokenPair tokens = core->auth().login("mem", "password123").tokens;
  CHECK(refresh_code(tokens.access) == ErrorCode::kAuthenticationFailed);
  CHECK(access_code(tokens.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(refresh_code("not-a-token") == ErrorCode::kAuthenticationFailed);
  CHECK(refresh_code("") == ErrorCode::kValidationError);
  CHECK(refresh_code(std::string(64, '0')) == ErrorCode::kAuthenticationFailed);
  // An unknown token revokes nothing.
  CHECK(refresh_code(tokens.refresh) == kOk);
}

TEST_CASE_FIXTURE(Sessions, "concurrent refreshes of one token: exactly one wins") {
  const TokenPair tokens = core->auth().login("mem", "password123").tokens;
  std::atomic<int> wins{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (refresh_code(tokens.refresh) == kOk) ++wins;
      else ++refused;
    });
  for (auto& t : threads) t.join();
  CHECK(wins == 1);
  CHECK(refused == 7);
}

TEST_CASE_FIXTURE(Sessions, "logout ends the session at once") {
  const TokenPair a = core->auth().login("mem", "password123").tokens;
  const TokenPair b = core->auth().login("mem", "password123").tokens;
  core->auth().logout(principal_of(a), a.refresh);
  CHECK(access_code(a.access) == ErrorCode::kAuthenticationFailed);
  CHECK(refresh_code(a.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(access_code(b.access) == kOk);
  CHECK(audit_count(kAuditLogout) == 1);

  // Without a refresh token: the caller's own session.
  core->auth().logout(principal_of(b));
  CHECK(access_code(b.access) == ErrorCode::kAuthenticationFailed);

  // Someone else's refresh token is not the caller's to revoke.
  const TokenPair theirs = core->auth().login("root", "password123").tokens;
  const TokenPair mine = core->auth().login("mem", "password123").tokens;
  CHECK(code_of([&] { core->auth().logout(principal_of(mine), theirs.refresh); }) ==
        ErrorCode::kAuthenticationFailed);
  CHECK(access_code(theirs.access) == kOk);
}

TEST_CASE_FIXTURE(Sessions, "idle sessions end; each refresh restarts the lifetimes") {
  const TokenPair tokens = core->auth().login("mem", "password123").tokens;
  clock->advance_s(23 * 3600);
  const TokenPair later = core->auth().refresh(tokens.refresh);
  clock->advance_s(23 * 3600);  // 46 h since login, 23 h since the refresh
  const TokenPair again = core->auth().refresh(later.refresh);
  clock->advance_s(24 * 3600);  // a full idle period without a refresh
  CHECK(refresh_code(again.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(access_code(again.access) == ErrorCode::kAuthenticationFailed);
}

TEST_CASE_FIXTURE(Sessions, "a deactivated user's refresh and access tokens fail") {
  const TokenPair tokens = core->auth().login("mem", "password123").tokens;
  core->users().toggle_active(admin, mem.user_id);
  CHECK(access_code(tokens.access) == ErrorCode::kAuthenticationFailed);
  CHECK(refresh_code(tokens.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(code_of([&] { core->auth().login("mem", "password123"); }) ==
        ErrorCode::kAuthenticationFailed);
}

TEST_CASE_FIXTURE(Sessions, "password change checks the old one and revokes other sessions") {
  const TokenPair here = core->auth().login("mem", "password123").tokens;
  const TokenPair elsewhere = core->auth().login("mem", "password123").tokens;
  const Principal me = principal_of(here);

  CHECK(field_errors_of([&] { core->auth().change_password(me, "wrong-one", "new-secret-1"); })
            .count("old_password") == 1);
  const FieldErrors weak =
      field_errors_of([&] { core->auth().change_password(me, "password123", "12345678"); });
  CHECK(weak.at("new_password") ==
        std::vector<std::string>{"This password is entirely numeric."});
  CHECK(field_errors_of([&] { core->auth().change_password(me, "", ""); }).size() == 2);

  core->auth().change_password(me, "password123", "brand-new-secret");
  CHECK(access_code(here.access) == kOk);
  CHECK(access_code(elsewhere.access) == ErrorCode::kAuthenticationFailed);
  CHECK(refresh_code(elsewhere.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(code_of([&] { core->auth().login("mem", "password123"); }) ==
        ErrorCode::kAuthenticationFailed);
  CHECK(code_of([&] { core->auth().login("mem", "brand-new-secret"); }) == kOk);
  CHECK(audit_count(kAuditPasswordChange) == 1);
}

TEST_CASE_FIXTURE(Sessions, "admin reset: single use, expiring, old password and sessions dead") {
  const TokenPair tokens = core->auth().login("mem", "password123").tokens;
  CHECK(code_of([&] { core->auth().reset_password(mem, mem.user_id); }) ==
        ErrorCode::kPermissionDenied);
  CHECK(code_of([&] { core->auth().reset_password(admin, 99999); }) == ErrorCode::kNotFound);

  const ResetTicket ticket = core->auth().reset_password(admin, mem.user_id);
  CHECK(ticket.token.size() == 64);
  CHECK(ticket.expires_at == clock->now() + 24 * 3600 * 1000LL);
  CHECK(access_code(tokens.access) == ErrorCode::kAuthenticationFailed);
  CHECK(refresh_code(tokens.refresh) == ErrorCode::kAuthenticationFailed);
  CHECK(code_of([&] { core->auth().login("mem", "password123"); }) ==
        ErrorCode::kAuthenticationFailed);

  CHECK(field_errors_of([&] { core->auth().confirm_reset("nope", "good-password-1"); })
            .at("token") == std::vector<std::string>{"Invalid or expired token."});
  CHECK(field_errors_of([&] { core->auth().confirm_reset(ticket.token, "short"); })
            .count("new_password") == 1);
  core->auth().confirm_reset(ticket.token, "good-password-1");
  CHECK(code_of([&] { core->auth().login("mem", "good-password-1"); }) == kOk);
  CHECK(field_errors_of([&] { core->auth().confirm_reset(ticket.token, "good-password-2"); })
            .count("token") == 1);

  // Expired tokens, and older tokens once a newer one was issued, fail.
  const ResetTicket old_one = core->auth().reset_password(admin, mem.user_id);
  const ResetTicket new_one = core->auth().reset_password(admin, mem.user_id);
  CHECK(field_errors_of([&] { core->auth().confirm_reset(old_one.token, "good-password-3"); })
            .count("token") == 1);
  clock->advance_s(24 * 3600);
  CHECK(field_errors_of([&] { core->auth().confirm_reset(new_one.token, "good-password-3"); })
            .count("token") == 1);

  CHECK(audit_count(kAuditPasswordReset) == 3);
  CHECK(audit_count(kAuditPasswordResetConfirm) == 1);
  // No secret in any entry.
  for (const AuditEntry& entry : core->audit().list(admin, {}, {1, 100}).items) {
    CHECK(entry.details_json.find(ticket.token) == std::string::npos);
    CHECK(entry.details_json.find(tokens.refresh) == std::string::npos);
    CHECK(entry.details_json.find("good-password") == std::string::npos);
  }
}

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "taskcore/error.h"
#include "taskcore/export.h"
#include "taskcore/rate_limiter.h"
#include "taskcore/task.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;

struct AuthOptions {
  std::int64_t access_lifetime_s = 15 * 60;
  std::int64_t refresh_lifetime_s = 7 * 24 * 3600;
  std::int64_t session_idle_timeout_s = 24 * 3600;
  // A reset token an admin issues works once, for this long.
  std::int64_t reset_token_lifetime_s = 24 * 3600;
  bool registration_enabled = true;
  // HMAC-SHA256 key for tokens. Empty = a random key kept in the store, so
  // every server sharing the database accepts the same tokens.
  std::string signing_key;
};

struct TokenPair {
  std::string access;
  std::string refresh;
  std::int64_t expires_in = 0;  // seconds the access token lives
};

struct LoginResult {
  TokenPair tokens;
  User user;
};

// POST /api/auth/login/ as sent: each field absent, null or text. An
// adapter records what it could not decode in `decode_errors`.
struct LoginInput {
  Nullable<std::string> username;
  Nullable<std::string> password;
  FieldErrors decode_errors;
};

// What POST /api/admin/users/{id}/reset-password/ hands the admin: the
// token (shown once, stored only as a hash) and when it expires.
struct ResetTicket {
  std::string token;
  Timestamp expires_at = 0;
};

// The verified caller of a request.
struct AuthenticatedUser {
  Principal principal;
  User user;
};

// Login and token verification. Tokens are JWTs (HS256) carrying user_id,
// the session id (sid), token_type, jti, iat and exp, so a front end written
// for djangorestframework-simplejwt can read them. Thread safe. Obtained
// from Core::auth().
class TASKCORE_EXPORT AuthService {
 public:
  // Reads (or creates) the signing key; throws what the store throws.
  explicit AuthService(ServiceContext& context);
  ~AuthService();

  // Both fields are required and may not be blank (validation_error);
  // then wrong password, unknown user and inactive user all throw the same
  // authentication_failed, after the same password hashing work. Records
  // last_login and a new session with audit login, or audit login_failed.
  LoginResult login(const LoginInput& input, const Origin& origin = {});
  LoginResult login(std::string_view username, std::string_view password,
                    const Origin& origin = {});

  // Rotates a refresh token: the presented one dies and a new pair is
  // issued. A dead (already used) token is reuse: its whole session is
  // revoked (audit refresh_reuse) and authentication_failed thrown, as for
  // an unknown, expired, idle or revoked one, or an inactive user.
  TokenPair refresh(std::string_view refresh_token, const Origin& origin = {});

  // Revokes the session of `refresh_token` (which must belong to the
  // caller; authentication_failed otherwise), or the caller's own session
  // when it is empty. Its access tokens fail from the next request on.
  // Audit logout.
  void logout(const Principal& actor, std::string_view refresh_token = {});

  // Checks `old_password` (validation_error on "old_password"), validates
  // the new one like registration ("new_password"), stores it and revokes
  // the caller's other sessions. Audit password_change.
  void change_password(const Principal& actor, std::string_view old_password,
                       std::string_view new_password);

  // Admins only. Issues a single-use reset token for `user_id`, makes the
  // current password unusable and revokes every session of the user.
  // Audit password_reset.
  ResetTicket reset_password(const Principal& admin, std::int64_t user_id);

  // Consumes a reset token once (validation_error on "token" when unknown,
  // used or expired) and sets the new password. Audit
  // password_reset_confirm.
  void confirm_reset(std::string_view token, std::string_view new_password,
                     const Origin& origin = {});

  // Verifies signature, type and expiry of an access token, then that its
  // session is live and its user active. Throws authentication_failed.
  AuthenticatedUser authenticate(std::string_view access_token);

  // Counts one request against the caller's limit of RateLimitOptions (per
  // user, or per address when `user_id` is empty); throws throttled with
  // details.retry_after (seconds) when over it.
  void check_rate(RequestKind kind, std::optional<std::int64_t> user_id,
                  std::string_view ip);

  const AuthOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskcore

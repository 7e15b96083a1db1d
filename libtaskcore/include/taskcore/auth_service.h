#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "taskcore/error.h"
#include "taskcore/export.h"
#include "taskcore/task.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;

struct AuthOptions {
  std::int64_t access_lifetime_s = 15 * 60;
  std::int64_t refresh_lifetime_s = 7 * 24 * 3600;
  std::int64_t session_idle_timeout_s = 24 * 3600;
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

  // Verifies signature, type and expiry of an access token, then that its
  // session is live and its user active. Throws authentication_failed.
  AuthenticatedUser authenticate(std::string_view access_token);

  const AuthOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskcore

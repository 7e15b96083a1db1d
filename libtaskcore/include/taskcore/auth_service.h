#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/user.h"

namespace taskcore {

class Store;
class Clock;
class RandomSource;
class PasswordHasher;

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

// The verified caller of a request.
struct AuthenticatedUser {
  Principal principal;
  User user;
};

// Login and token verification. Tokens are JWTs (HS256) carrying user_id,
// the session id (sid), token_type, jti, iat and exp, so a front end written
// for djangorestframework-simplejwt can read them. Thread safe.
class TASKCORE_EXPORT AuthService {
 public:
  AuthService(std::shared_ptr<Store> store, std::shared_ptr<const Clock> clock,
              std::shared_ptr<RandomSource> random,
              std::shared_ptr<const PasswordHasher> hasher,
              AuthOptions options);
  ~AuthService();

  // Wrong password, unknown user and inactive user all throw the same
  // authentication_failed. Records last_login.
  LoginResult login(std::string_view username, std::string_view password);

  // Verifies signature, type and expiry of an access token, then that its
  // session is live and its user active. Throws authentication_failed.
  AuthenticatedUser authenticate(std::string_view access_token);

  const AuthOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taskcore

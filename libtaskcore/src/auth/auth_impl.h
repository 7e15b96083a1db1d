#pragma once

// What the AuthService's source files share.

#include <string>

#include "auth/token_codec.h"
#include "core/service_context.h"
#include "taskcore/auth_service.h"

namespace taskcore {

inline constexpr const char* kBadCredentials =
    "No active account found with the given credentials.";
inline constexpr const char* kBadToken = "Given token not valid for any token type.";
inline constexpr const char* kBadRefreshToken = "Token is invalid or expired";

struct AuthService::Impl {
  ServiceContext& ctx;
  auth::TokenCodec codec;

  // A new live refresh token for `session` (stored as its hash in `tx`)
  // and a fresh access token.
  TokenPair issue(Transaction& tx, const Session& session, Timestamp now);
  // Whether `session` may still be used at `now`.
  bool live(const Session& session, Timestamp now) const;
  // The password hash to verify against: `stored` when it is a real hash,
  // else the decoy, so a disabled password costs the same time as any.
  const std::string& hash_to_verify(const std::string* stored) const;
  // Throws throttled when `decision` refuses.
  static void throw_if_refused(const RateDecision& decision);
};

}  // namespace taskcore

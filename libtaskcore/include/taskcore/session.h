#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "taskcore/time.h"

namespace taskcore {

// A login. Access tokens name their session, so revoking the session
// (logout, password change or reset, refresh-token reuse) stops them at
// once. Its refresh tokens are opaque random strings stored only as hashes
// (RefreshTokenRecord); each refresh replaces the live one.
struct Session {
  std::string id;  // random hex, unguessable
  std::int64_t user_id = 0;
  Timestamp created_at = 0;
  Timestamp last_used_at = 0;  // login or last refresh (idle timeout)
  Timestamp expires_at = 0;    // end of the live refresh token's lifetime
  std::optional<Timestamp> revoked_at;
};

// One refresh token of a session, by the hash of its text. A used token is
// dead: presenting it again is reuse.
struct RefreshTokenRecord {
  std::string hash;  // SHA-256 of the token, lowercase hex
  std::string session_id;
  Timestamp issued_at = 0;
  std::optional<Timestamp> used_at;
};

// A single-use password reset token an admin issued, by the hash of its
// text.
struct ResetTokenRecord {
  std::string hash;  // SHA-256 of the token, lowercase hex
  std::int64_t user_id = 0;
  Timestamp created_at = 0;
  Timestamp expires_at = 0;
  std::optional<Timestamp> used_at;
};

}  // namespace taskcore

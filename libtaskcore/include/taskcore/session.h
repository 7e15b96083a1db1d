#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "taskcore/time.h"

namespace taskcore {

// A login. Access tokens name their session, so revoking the session
// (logout, password change or reset, refresh-token reuse) stops them at once.
// The one live refresh token of a session is `refresh_id`; rotation replaces
// it, and presenting an older one is reuse.
struct Session {
  std::string id;  // random hex, unguessable
  std::int64_t user_id = 0;
  Timestamp created_at = 0;
  Timestamp last_used_at = 0;  // login or last refresh (idle timeout)
  Timestamp expires_at = 0;    // end of the refresh lifetime
  std::string refresh_id;      // id of the current refresh token
  std::optional<Timestamp> revoked_at;
};

}  // namespace taskcore

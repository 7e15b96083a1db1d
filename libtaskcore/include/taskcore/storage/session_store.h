#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/session.h"
#include "taskcore/storage/row_lock.h"

namespace taskcore {

// Login sessions and their refresh tokens inside one transaction (see
// Transaction).
class TASKCORE_EXPORT SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual void insert(const Session& session) = 0;
  virtual std::optional<Session> find(std::string_view id,
                                      RowLock lock = RowLock::kNone) = 0;
  // Stores last_used_at, expires_at and revoked_at.
  virtual void update(const Session& session) = 0;
  // Revokes every live session of `user_id` except `except_id` (empty:
  // none excepted) and returns how many it revoked.
  virtual std::int64_t revoke_all(std::int64_t user_id, Timestamp at,
                                  std::string_view except_id = {}) = 0;
  // Deletes sessions (with their refresh tokens) that expired or were
  // revoked before `before`.
  virtual std::int64_t delete_ended(Timestamp before) = 0;

  virtual void insert_refresh_token(const RefreshTokenRecord& token) = 0;
  virtual std::optional<RefreshTokenRecord> find_refresh_token(
      std::string_view hash, RowLock lock = RowLock::kNone) = 0;
  virtual void mark_refresh_token_used(std::string_view hash, Timestamp at) = 0;
};

}  // namespace taskcore

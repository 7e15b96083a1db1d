#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/session.h"
#include "taskcore/storage/row_lock.h"

namespace taskcore {

// Password reset tokens inside one transaction (see Transaction).
class TASKCORE_EXPORT ResetTokenStore {
 public:
  virtual ~ResetTokenStore() = default;

  virtual void insert(const ResetTokenRecord& token) = 0;
  virtual std::optional<ResetTokenRecord> find(std::string_view hash,
                                               RowLock lock = RowLock::kNone) = 0;
  virtual void mark_used(std::string_view hash, Timestamp at) = 0;
  // Marks every unused token of `user_id` used (a newer reset or a
  // password change makes them void); returns how many.
  virtual std::int64_t void_all(std::int64_t user_id, Timestamp at) = 0;
  // Deletes tokens that expired or were used before `before`.
  virtual std::int64_t delete_ended(Timestamp before) = 0;
};

}  // namespace taskcore

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/storage/row_lock.h"
#include "taskcore/user.h"

namespace taskcore {

struct NewUserRecord {
  std::string username;
  std::string email;
  std::string password_hash;
  Role role = Role::kMember;
  bool is_active = true;
  Timestamp date_joined = 0;
};

// Which unique value of a user another user already holds.
enum class UserUniqueField { kNone, kUsername, kEmail };

// Users inside one transaction (see Transaction). Usernames are unique as
// given, emails unique ignoring ASCII case.
class TASKCORE_EXPORT UserStore {
 public:
  virtual ~UserStore() = default;

  virtual std::optional<User> find(std::int64_t id,
                                   RowLock lock = RowLock::kNone) = 0;
  virtual std::optional<UserCredentials> find_by_username(
      std::string_view username) = 0;
  virtual bool exists(std::int64_t id) = 0;
  // The first of `username`, `email` held by a user other than
  // `except_id`; an empty `username` is not checked.
  virtual UserUniqueField taken(std::string_view username,
                                std::string_view email,
                                std::int64_t except_id = 0) = 0;
  // Stores a user and returns its id. The caller checks taken() first in
  // the same transaction; a backend whose concurrent writers could commit
  // the same value in between retries the transaction instead of failing.
  virtual std::int64_t insert(const NewUserRecord& record) = 0;
  // Stores email, role and is_active of `user`.
  virtual void update(const User& user) = 0;
  virtual void set_password_hash(std::int64_t id, std::string_view hash) = 0;
  virtual void set_last_login(std::int64_t id, Timestamp at) = 0;
  // The number of active admins, with their rows locked until the
  // transaction ends: two transactions that each demote an admin then see
  // each other's change, so the last active admin cannot be lost.
  virtual std::int64_t count_active_admins_locked() = 0;
  // Ordered by id ascending.
  virtual Page<User> query(const UserFilter& filter,
                           const PageRequest& page) = 0;
};

}  // namespace taskcore

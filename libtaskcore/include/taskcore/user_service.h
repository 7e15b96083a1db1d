#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/user.h"

namespace taskcore {

class Store;
class Clock;
class PasswordHasher;

// Users: registration, admin management and the rules around roles. Every
// method taking a Principal checks its permission first. Thread safe.
class TASKCORE_EXPORT UserService {
 public:
  UserService(std::shared_ptr<Store> store, std::shared_ptr<const Clock> clock,
              std::shared_ptr<const PasswordHasher> hasher,
              bool registration_enabled);

  // Public self-registration: role member. permission_denied when
  // registration is switched off; validation_error; conflict when the
  // username or email is taken.
  User register_user(const NewUserInput& input);

  // Creates a user with any role, with no caller (bootstrap, CLI, tests).
  User create_user(const NewUserInput& input);

  // Creates `username` as an active admin unless a user of that name exists.
  // Returns true when it created one.
  bool ensure_admin(const NewUserInput& input);

  // Admin routes: permission_denied unless `actor` is an admin.
  Page<User> list(const Principal& actor, const UserFilter& filter,
                  const PageRequest& page);
  User get(const Principal& actor, std::int64_t id);
  // Demoting or deactivating the last active admin is a conflict.
  User update(const Principal& actor, std::int64_t id,
              const UserUpdateInput& input);
  User toggle_active(const Principal& actor, std::int64_t id);

  // Any authenticated user reading itself.
  User me(const Principal& actor);

 private:
  std::shared_ptr<Store> store_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<const PasswordHasher> hasher_;
  bool registration_enabled_;
};

}  // namespace taskcore

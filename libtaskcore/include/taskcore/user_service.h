#pragma once

#include <cstdint>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;

// Users: registration, admin management and the rules around roles. Every
// method taking a Principal checks its permission first; every change
// writes its audit entry in its own transaction. Thread safe. Obtained from
// Core::users().
class TASKCORE_EXPORT UserService {
 public:
  explicit UserService(ServiceContext& context) : ctx_(context) {}

  // Public self-registration: role member. permission_denied when
  // registration is switched off; validation_error; conflict when the
  // username or email is taken. Audit register.
  User register_user(const NewUserInput& input, const Origin& origin = {});

  // Creates a user with any role, with no caller (bootstrap, CLI, tests).
  // Audit user_create.
  User create_user(const NewUserInput& input);

  // Creates `username` as an active admin unless a user of that name exists.
  // Returns true when it created one.
  bool ensure_admin(const NewUserInput& input);

  // Admin routes: permission_denied unless `actor` is an admin.
  Page<User> list(const Principal& actor, const UserFilter& filter,
                  const PageRequest& page);
  User get(const Principal& actor, std::int64_t id);
  // Demoting or deactivating the last active admin is a conflict, also
  // when two admins do it at once. Audit user_update.
  User update(const Principal& actor, std::int64_t id,
              const UserUpdateInput& input);
  // Audit user_toggle_active.
  User toggle_active(const Principal& actor, std::int64_t id);

  // Any authenticated user reading itself.
  User me(const Principal& actor);

 private:
  ServiceContext& ctx_;
};

}  // namespace taskcore

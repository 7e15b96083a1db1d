#include "taskcore/user_service.h"

#include "core/user_rules.h"
#include "taskcore/clock.h"
#include "taskcore/error.h"
#include "taskcore/password_hasher.h"
#include "taskcore/permissions.h"
#include "taskcore/store.h"

namespace taskcore {
namespace {

void require_admin(const Principal& actor) {
  if (!can_administer(actor)) throw Error::permission_denied();
}

// The last active admin may not lose its role or its activity: nobody could
// administer the system afterwards.
void keep_an_active_admin(const User& before, const User& after,
                          std::int64_t active_admins) {
  const bool was_active_admin = before.role == Role::kAdmin && before.is_active;
  const bool still_active_admin = after.role == Role::kAdmin && after.is_active;
  if (was_active_admin && !still_active_admin && active_admins <= 1)
    throw Error::conflict("Cannot demote or deactivate the last active admin.");
}

}  // namespace

UserService::UserService(std::shared_ptr<Store> store,
                         std::shared_ptr<const Clock> clock,
                         std::shared_ptr<const PasswordHasher> hasher,
                         bool registration_enabled)
    : store_(std::move(store)),
      clock_(std::move(clock)),
      hasher_(std::move(hasher)),
      registration_enabled_(registration_enabled) {}

User UserService::register_user(const NewUserInput& input) {
  if (!registration_enabled_)
    throw Error::permission_denied("Registration is disabled.");
  NewUserInput member = input;
  member.role = Role::kMember;
  return create_user(member);
}

User UserService::create_user(const NewUserInput& input) {
  FieldErrorCollector errors;
  NewUserRecord record;
  record.username = checked_username(input.username, errors);
  record.email = checked_email(input.email, errors);
  check_password(input.password, errors);
  errors.throw_if_any();
  record.password_hash = hasher_->hash(input.password);
  record.role = input.role;
  record.is_active = true;
  record.date_joined = clock_->now();
  return store_->insert_user(record);
}

bool UserService::ensure_admin(const NewUserInput& input) {
  if (store_->find_credentials(input.username)) return false;
  NewUserInput admin = input;
  admin.role = Role::kAdmin;
  try {
    create_user(admin);
    return true;
  } catch (const Error& e) {
    // Another server sharing the database created it first.
    if (e.code() == ErrorCode::kConflict &&
        store_->find_credentials(input.username))
      return false;
    throw;
  }
}

Page<User> UserService::list(const Principal& actor, const UserFilter& filter,
                             const PageRequest& page) {
  require_admin(actor);
  Page<User> result = store_->list_users(filter, page);
  check_page_in_range(page, result.count);
  return result;
}

User UserService::get(const Principal& actor, std::int64_t id) {
  require_admin(actor);
  auto user = store_->find_user(id);
  if (!user) throw Error::not_found();
  return *user;
}

User UserService::update(const Principal& actor, std::int64_t id,
                         const UserUpdateInput& input) {
  require_admin(actor);
  FieldErrorCollector errors;
  std::optional<std::string> email;
  std::optional<Role> role;
  if (input.email) email = checked_email(*input.email, errors);
  if (input.role) {
    role = parse_role(*input.role);
    if (!role) errors.add("role", "\"" + *input.role + "\" is not a valid choice.");
  }
  errors.throw_if_any();
  return store_->update_user(id, [&](User& user, std::int64_t active_admins) {
    const User before = user;
    if (email) user.email = *email;
    if (role) user.role = *role;
    if (input.is_active) user.is_active = *input.is_active;
    keep_an_active_admin(before, user, active_admins);
  });
}

User UserService::toggle_active(const Principal& actor, std::int64_t id) {
  require_admin(actor);
  return store_->update_user(id, [&](User& user, std::int64_t active_admins) {
    const User before = user;
    user.is_active = !user.is_active;
    keep_an_active_admin(before, user, active_admins);
  });
}

User UserService::me(const Principal& actor) {
  auto user = store_->find_user(actor.user_id);
  if (!user) throw Error::not_found();
  return *user;
}

}  // namespace taskcore

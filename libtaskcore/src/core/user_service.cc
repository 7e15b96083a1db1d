#include "taskcore/user_service.h"

#include <nlohmann/json.hpp>

#include "core/change_log.h"
#include "core/service_context.h"
#include "core/user_rules.h"
#include "taskcore/permissions.h"

namespace taskcore {
namespace {

void require_admin(const Principal& actor) {
  if (!can_administer(actor)) throw Error::permission_denied();
}

Error taken_error(UserUniqueField field) {
  const char* name = field == UserUniqueField::kUsername ? "username" : "email";
  std::string message = std::string("A user with that ") + name + " already exists.";
  return Error::conflict(message, {{name, {message}}});
}

bool is_active_admin(const User& user) {
  return user.role == Role::kAdmin && user.is_active;
}

// Loads `id` for a change of role or activity. The active admins are locked
// first, always in the same order, so that two concurrent demotions
// serialize instead of deadlocking, and the second sees the first.
struct LockedUser {
  User user;
  std::int64_t active_admins = 0;
};
LockedUser lock_for_change(Transaction& tx, std::int64_t id) {
  const std::int64_t admins = tx.users().count_active_admins_locked();
  std::optional<User> user = tx.users().find(id, RowLock::kForUpdate);
  if (!user) throw Error::not_found();
  return {std::move(*user), admins};
}

// The last active admin may not lose its role or its activity: nobody could
// administer the system afterwards.
void keep_an_active_admin(const User& before, const User& after,
                          std::int64_t active_admins) {
  if (is_active_admin(before) && !is_active_admin(after) && active_admins <= 1)
    throw Error::conflict("Cannot demote or deactivate the last active admin.");
}

std::string user_changes_json(const User& before, const User& after) {
  nlohmann::json changes = nlohmann::json::object();
  if (before.email != after.email)
    changes["email"] = {{"from", before.email}, {"to", after.email}};
  if (before.role != after.role)
    changes["role"] = {{"from", role_name(before.role)}, {"to", role_name(after.role)}};
  if (before.is_active != after.is_active)
    changes["is_active"] = {{"from", before.is_active}, {"to", after.is_active}};
  return nlohmann::json{{"username", after.username}, {"changes", std::move(changes)}}
      .dump();
}

// Validated input of a new user, hashed outside any transaction (argon2id
// takes tens of milliseconds and must not hold the writer).
NewUserRecord checked_record(const ServiceContext& ctx, const NewUserInput& input) {
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  NewUserRecord record;
  // A field the adapter could not decode is reported once, as it was.
  const auto decoded = [&](const char* field) { return !input.decode_errors.count(field); };
  if (decoded("username")) record.username = checked_username(input.username, errors);
  if (decoded("email")) record.email = checked_email(input.email, errors);
  if (decoded("password")) check_password(input.password, errors);
  errors.throw_if_any();
  record.password_hash = ctx.hasher->hash(input.password);
  record.role = input.role;
  record.is_active = true;
  record.date_joined = ctx.clock->now();
  return record;
}

User insert_user(Transaction& tx, const NewUserRecord& record) {
  if (const UserUniqueField taken = tx.users().taken(record.username, record.email);
      taken != UserUniqueField::kNone)
    throw taken_error(taken);
  User user;
  user.id = tx.users().insert(record);
  user.username = record.username;
  user.email = record.email;
  user.role = record.role;
  user.is_active = record.is_active;
  user.date_joined = record.date_joined;
  return user;
}

}  // namespace

User UserService::register_user(const NewUserInput& input, const Origin& origin) {
  if (!ctx_.auth.registration_enabled)
    throw Error::permission_denied("Registration is disabled.");
  NewUserInput member = input;
  member.role = Role::kMember;
  const NewUserRecord record = checked_record(ctx_, member);
  return ctx_.store->write([&](Transaction& tx) {
    User user = insert_user(tx, record);
    record_audit(tx, record.date_joined, user.id, origin, kAuditRegister,
                 {"user", user.id}, nlohmann::json{{"username", user.username}}.dump());
    return user;
  });
}

User UserService::create_user(const NewUserInput& input) {
  const NewUserRecord record = checked_record(ctx_, input);
  return ctx_.store->write([&](Transaction& tx) {
    User user = insert_user(tx, record);
    record_audit(tx, record.date_joined, std::nullopt, {}, kAuditUserCreate,
                 {"user", user.id},
                 nlohmann::json{{"username", user.username},
                                {"role", role_name(user.role)}}
                     .dump());
    return user;
  });
}

bool UserService::ensure_admin(const NewUserInput& input) {
  const auto exists = [&] {
    return ctx_.store->read([&](Transaction& tx) {
      return tx.users().find_by_username(input.username).has_value();
    });
  };
  if (exists()) return false;
  NewUserInput admin = input;
  admin.role = Role::kAdmin;
  try {
    create_user(admin);
    return true;
  } catch (const Error& e) {
    // Another server sharing the database created it first.
    if (e.code() == ErrorCode::kConflict && exists()) return false;
    throw;
  }
}

Page<User> UserService::list(const Principal& actor, const UserFilter& filter,
                             const PageRequest& page) {
  require_admin(actor);
  Page<User> result =
      ctx_.store->read([&](Transaction& tx) { return tx.users().query(filter, page); });
  check_page_in_range(page, result.count);
  return result;
}

User UserService::get(const Principal& actor, std::int64_t id) {
  require_admin(actor);
  auto user = ctx_.store->read([&](Transaction& tx) { return tx.users().find(id); });
  if (!user) throw Error::not_found();
  return *user;
}

User UserService::update(const Principal& actor, std::int64_t id,
                         const UserUpdateInput& input) {
  require_admin(actor);
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  std::optional<std::string> email;
  std::optional<Role> role;
  if (input.email) email = checked_email(*input.email, errors);
  if (input.role) {
    role = parse_role(*input.role);
    if (!role) errors.add("role", "\"" + *input.role + "\" is not a valid choice.");
  }
  errors.throw_if_any();
  const Timestamp now = ctx_.clock->now();
  return ctx_.store->write([&](Transaction& tx) {
    const LockedUser locked = lock_for_change(tx, id);
    User after = locked.user;
    if (email) after.email = *email;
    if (role) after.role = *role;
    if (input.is_active) after.is_active = *input.is_active;
    keep_an_active_admin(locked.user, after, locked.active_admins);
    if (after.email != locked.user.email &&
        tx.users().taken("", after.email, id) != UserUniqueField::kNone)
      throw taken_error(UserUniqueField::kEmail);
    tx.users().update(after);
    record_audit(tx, now, actor, kAuditUserUpdate, {"user", id},
                 user_changes_json(locked.user, after));
    return after;
  });
}

User UserService::toggle_active(const Principal& actor, std::int64_t id) {
  require_admin(actor);
  const Timestamp now = ctx_.clock->now();
  return ctx_.store->write([&](Transaction& tx) {
    const LockedUser locked = lock_for_change(tx, id);
    User after = locked.user;
    after.is_active = !after.is_active;
    keep_an_active_admin(locked.user, after, locked.active_admins);
    tx.users().update(after);
    record_audit(tx, now, actor, kAuditUserToggleActive, {"user", id},
                 user_changes_json(locked.user, after));
    return after;
  });
}

User UserService::me(const Principal& actor) {
  auto user =
      ctx_.store->read([&](Transaction& tx) { return tx.users().find(actor.user_id); });
  if (!user) throw Error::not_found();
  return *user;
}

}  // namespace taskcore

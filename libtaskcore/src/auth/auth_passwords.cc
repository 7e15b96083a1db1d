// Password change, and admin-issued resets.
#include <nlohmann/json.hpp>

#include "auth/auth_impl.h"
#include "auth/secret_hash.h"
#include "core/change_log.h"
#include "core/user_rules.h"
#include "taskcore/permissions.h"

namespace taskcore {
namespace {

constexpr const char* kBadResetToken = "Invalid or expired token.";

// The new password, validated as at registration, under `field`.
void check_new_password(std::string_view password, const char* field) {
  FieldErrorCollector rules;
  check_password(std::string(password), rules);
  FieldErrorCollector errors;
  for (const auto& [name, messages] : rules.errors())
    for (const auto& message : messages) errors.add(field, message);
  errors.throw_if_any();
}

}  // namespace

void AuthService::change_password(const Principal& actor, std::string_view old_password,
                                  std::string_view new_password) {
  ServiceContext& ctx = impl_->ctx;
  FieldErrorCollector missing;
  if (old_password.empty()) missing.add("old_password", "This field is required.");
  if (new_password.empty()) missing.add("new_password", "This field is required.");
  missing.throw_if_any();
  const auto credentials = ctx.store->read([&](Transaction& tx) -> std::optional<UserCredentials> {
    const auto user = tx.users().find(actor.user_id);
    if (!user) return std::nullopt;
    return tx.users().find_by_username(user->username);
  });
  if (!credentials) throw Error::not_found();
  if (!ctx.hasher->verify(old_password, impl_->hash_to_verify(&credentials->password_hash)))
    throw Error::validation({{"old_password", {"Your old password was entered incorrectly."}}});
  check_new_password(new_password, "new_password");
  const std::string hash = ctx.hasher->hash(new_password);
  const Timestamp now = ctx.clock->now();
  ctx.store->write([&](Transaction& tx) {
    tx.users().set_password_hash(actor.user_id, hash);
    const std::int64_t revoked = tx.sessions().revoke_all(actor.user_id, now, actor.session_id);
    tx.reset_tokens().void_all(actor.user_id, now);
    record_audit(tx, now, actor, kAuditPasswordChange, {"user", actor.user_id},
                 nlohmann::json{{"sessions_revoked", revoked}}.dump());
  });
}

ResetTicket AuthService::reset_password(const Principal& admin, std::int64_t user_id) {
  ServiceContext& ctx = impl_->ctx;
  if (!can_administer(admin)) throw Error::permission_denied();
  const Timestamp now = ctx.clock->now();
  ResetTicket ticket;
  ticket.token = ctx.random->hex_token(32);
  ticket.expires_at = now + ctx.auth.reset_token_lifetime_s * 1000;
  // Not an argon2 string: no password verifies against it until the reset
  // is confirmed.
  const std::string disabled = "!reset:" + ctx.random->hex_token(16);
  ctx.store->write([&](Transaction& tx) {
    if (!tx.users().find(user_id, RowLock::kForUpdate)) throw Error::not_found();
    tx.reset_tokens().void_all(user_id, now);
    tx.reset_tokens().insert({auth::secret_hash(ticket.token), user_id, now, ticket.expires_at, {}});
    tx.users().set_password_hash(user_id, disabled);
    const std::int64_t revoked = tx.sessions().revoke_all(user_id, now);
    record_audit(tx, now, admin, kAuditPasswordReset, {"user", user_id},
                 nlohmann::json{{"sessions_revoked", revoked},
                                {"expires_at", format_timestamp(ticket.expires_at)}}
                     .dump());
  });
  return ticket;
}

void AuthService::confirm_reset(std::string_view token, std::string_view new_password,
                                const Origin& origin) {
  ServiceContext& ctx = impl_->ctx;
  FieldErrorCollector missing;
  if (token.empty()) missing.add("token", "This field is required.");
  if (new_password.empty()) missing.add("new_password", "This field is required.");
  missing.throw_if_any();
  check_new_password(new_password, "new_password");
  // Hashed before the transaction: argon2id must not hold the writer.
  const std::string hash = ctx.hasher->hash(new_password);
  const std::string token_hash = auth::secret_hash(token);
  const Timestamp now = ctx.clock->now();
  ctx.store->write([&](Transaction& tx) {
    const auto record = tx.reset_tokens().find(token_hash, RowLock::kForUpdate);
    if (!record || record->used_at || record->expires_at <= now)
      throw Error::validation({{"token", {kBadResetToken}}});
    tx.reset_tokens().mark_used(token_hash, now);
    tx.users().set_password_hash(record->user_id, hash);
    tx.sessions().revoke_all(record->user_id, now);
    record_audit(tx, now, record->user_id, origin, kAuditPasswordResetConfirm,
                 {"user", record->user_id});
  });
}

}  // namespace taskcore

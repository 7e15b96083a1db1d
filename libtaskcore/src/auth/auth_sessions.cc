// Refresh-token rotation with reuse detection, and logout.
#include <nlohmann/json.hpp>

#include "auth/auth_impl.h"
#include "auth/secret_hash.h"
#include "core/change_log.h"

namespace taskcore {
namespace {

// What a refresh attempt found; the rejection paths still commit what
// they recorded (a revoked session, an audit entry) before throwing.
struct RefreshOutcome {
  std::optional<TokenPair> tokens;
  bool reuse = false;
};

}  // namespace

TokenPair AuthService::refresh(std::string_view refresh_token, const Origin& origin) {
  ServiceContext& ctx = impl_->ctx;
  if (refresh_token.empty())
    throw Error::validation({{"refresh", {"This field is required."}}});
  const std::string hash = auth::secret_hash(refresh_token);
  const Timestamp now = ctx.clock->now();
  const RefreshOutcome outcome = ctx.store->write([&](Transaction& tx) {
    RefreshOutcome result;
    const auto token = tx.sessions().find_refresh_token(hash, RowLock::kForUpdate);
    if (!token) return result;
    std::optional<Session> session = tx.sessions().find(token->session_id, RowLock::kForUpdate);
    if (!session) return result;
    if (token->used_at) {
      // A rotated token came back: someone holds a copy. End the session
      // for both holders.
      result.reuse = true;
      if (!session->revoked_at) {
        session->revoked_at = now;
        tx.sessions().update(*session);
      }
      record_audit(tx, now, std::nullopt, origin, kAuditRefreshReuse,
                   {"user", session->user_id},
                   nlohmann::json{{"session_id", session->id}}.dump());
      return result;
    }
    if (!impl_->live(*session, now)) return result;
    const std::optional<User> user = tx.users().find(session->user_id);
    if (!user || !user->is_active) return result;
    tx.sessions().mark_refresh_token_used(hash, now);
    session->last_used_at = now;
    session->expires_at = now + ctx.auth.refresh_lifetime_s * 1000;
    tx.sessions().update(*session);
    result.tokens = impl_->issue(tx, *session, now);
    return result;
  });
  if (!outcome.tokens) throw Error::authentication_failed(kBadRefreshToken);
  return *outcome.tokens;
}

void AuthService::logout(const Principal& actor, std::string_view refresh_token) {
  ServiceContext& ctx = impl_->ctx;
  const Timestamp now = ctx.clock->now();
  const std::string hash = refresh_token.empty() ? std::string() : auth::secret_hash(refresh_token);
  const bool done = ctx.store->write([&](Transaction& tx) {
    std::string session_id = actor.session_id;
    if (!hash.empty()) {
      const auto token = tx.sessions().find_refresh_token(hash, RowLock::kForUpdate);
      if (!token) return false;
      session_id = token->session_id;
    }
    std::optional<Session> session = tx.sessions().find(session_id, RowLock::kForUpdate);
    if (!session || session->user_id != actor.user_id) return false;
    if (!session->revoked_at) {
      session->revoked_at = now;
      tx.sessions().update(*session);
    }
    record_audit(tx, now, actor, kAuditLogout, {"user", actor.user_id},
                 nlohmann::json{{"session_id", session->id}}.dump());
    return true;
  });
  if (!done) throw Error::authentication_failed(kBadRefreshToken);
}

}  // namespace taskcore

#include "taskcore/auth_service.h"

#include <nlohmann/json.hpp>

#include "auth/auth_impl.h"
#include "auth/secret_hash.h"
#include "core/change_log.h"

namespace taskcore {
namespace {

constexpr const char* kSigningKeySetting = "token_signing_key";
constexpr std::string_view kArgon2Prefix = "$argon2";

std::string resolve_signing_key(ServiceContext& ctx) {
  if (!ctx.auth.signing_key.empty()) return ctx.auth.signing_key;
  // Kept in the store so every server sharing the database (and every
  // restart) accepts the same tokens.
  const std::string candidate = ctx.random->hex_token(32);
  return ctx.store->write([&](Transaction& tx) {
    tx.settings().insert_if_absent(kSigningKeySetting, candidate);
    std::optional<std::string> key = tx.settings().get(kSigningKeySetting);
    if (!key || key->empty()) throw Error::internal("The signing key could not be stored.");
    return std::move(*key);
  });
}

// simplejwt's TokenObtainPairSerializer: both fields required and not
// blank, before any credential is looked at.
std::pair<std::string, std::string> required_credentials(const LoginInput& input) {
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  std::string values[2];
  const std::pair<const char*, const Nullable<std::string>*> fields[2] = {
      {"username", &input.username}, {"password", &input.password}};
  for (int i = 0; i < 2; ++i) {
    const auto& [name, pointer] = fields[i];
    const Nullable<std::string>& value = *pointer;
    if (input.decode_errors.count(name)) continue;
    if (!value) {
      errors.add(name, "This field is required.");
    } else if (!value->has_value()) {
      errors.add(name, "This field may not be null.");
    } else if ((*value)->empty()) {
      errors.add(name, "This field may not be blank.");
    } else {
      values[i] = **value;
    }
  }
  errors.throw_if_any();
  return {std::move(values[0]), std::move(values[1])};
}

}  // namespace

TokenPair AuthService::Impl::issue(Transaction& tx, const Session& session, Timestamp now) {
  const std::string refresh = ctx.random->hex_token(32);
  tx.sessions().insert_refresh_token({auth::secret_hash(refresh), session.id, now, {}});
  const std::int64_t now_s = now / 1000;
  auth::TokenClaims access;
  access.type = auth::TokenType::kAccess;
  access.user_id = session.user_id;
  access.session_id = session.id;
  access.token_id = ctx.random->hex_token(16);
  access.issued_at = now_s;
  access.expires_at = now_s + ctx.auth.access_lifetime_s;
  return TokenPair{codec.encode(access), refresh, ctx.auth.access_lifetime_s};
}

bool AuthService::Impl::live(const Session& session, Timestamp now) const {
  const std::int64_t idle_ms = ctx.auth.session_idle_timeout_s * 1000;
  return !session.revoked_at && session.expires_at > now &&
         session.last_used_at + idle_ms > now;
}

const std::string& AuthService::Impl::hash_to_verify(const std::string* stored) const {
  if (stored && std::string_view(*stored).substr(0, kArgon2Prefix.size()) == kArgon2Prefix)
    return *stored;
  return ctx.hasher->decoy_hash();
}

void AuthService::Impl::throw_if_refused(const RateDecision& decision) {
  if (decision.allowed) return;
  const std::int64_t seconds = std::max<std::int64_t>(1, (decision.retry_after_ms + 999) / 1000);
  throw Error(ErrorCode::kThrottled,
              "Request was throttled. Expected available in " + std::to_string(seconds) +
                  (seconds == 1 ? " second." : " seconds."),
              {}, {{"retry_after", seconds}});
}

AuthService::AuthService(ServiceContext& context)
    : impl_(new Impl{context, auth::TokenCodec(resolve_signing_key(context))}) {}

AuthService::~AuthService() = default;

const AuthOptions& AuthService::options() const { return impl_->ctx.auth; }

LoginResult AuthService::login(std::string_view username, std::string_view password,
                               const Origin& origin) {
  LoginInput input;
  input.username = std::optional<std::string>(std::string(username));
  input.password = std::optional<std::string>(std::string(password));
  return login(input, origin);
}

LoginResult AuthService::login(const LoginInput& input, const Origin& origin) {
  ServiceContext& ctx = impl_->ctx;
  // Named variables, not structured bindings: lambdas below capture them.
  const std::pair<std::string, std::string> credentials_given = required_credentials(input);
  const std::string& username = credentials_given.first;
  const std::string& password = credentials_given.second;
  const Timestamp started = ctx.clock->now();
  // Failed attempts are limited per address and per username, checked
  // before hashing so that a flood costs no argon2 work.
  const std::string ip_key = "login_ip:" + origin.ip;
  const std::string user_key = "login_user:" + username;
  const RateLimitOptions& limits = ctx.rate_limits;
  if (limits.enabled) {
    Impl::throw_if_refused(
        ctx.rate_limiter->peek(ip_key, limits.failed_logins_per_ip, started));
    Impl::throw_if_refused(
        ctx.rate_limiter->peek(user_key, limits.failed_logins_per_username, started));
  }

  auto credentials = ctx.store->read(
      [&](Transaction& tx) { return tx.users().find_by_username(username); });
  // Unknown users and disabled passwords cost a full hash too, so timing
  // does not tell them apart.
  const bool password_ok = ctx.hasher->verify(
      password, impl_->hash_to_verify(credentials ? &credentials->password_hash : nullptr));
  const Timestamp now = ctx.clock->now();

  if (!credentials || !password_ok || !credentials->user.is_active) {
    const char* reason = !credentials   ? "unknown_user"
                         : !password_ok ? "wrong_password"
                                        : "inactive_user";
    if (limits.enabled) {
      ctx.rate_limiter->acquire(ip_key, limits.failed_logins_per_ip, now);
      ctx.rate_limiter->acquire(user_key, limits.failed_logins_per_username, now);
    }
    ctx.store->write([&](Transaction& tx) {
      record_audit(tx, now, std::nullopt, origin, kAuditLoginFailed,
                   {"user", credentials ? std::optional(credentials->user.id) : std::nullopt},
                   nlohmann::json{{"username", username}, {"reason", reason}}.dump());
    });
    throw Error::authentication_failed(kBadCredentials);
  }

  Session session;
  session.id = ctx.random->hex_token(16);
  session.user_id = credentials->user.id;
  session.created_at = now;
  session.last_used_at = now;
  session.expires_at = now + ctx.auth.refresh_lifetime_s * 1000;
  const TokenPair tokens = ctx.store->write([&](Transaction& tx) {
    tx.sessions().insert(session);
    TokenPair pair = impl_->issue(tx, session, now);
    tx.users().set_last_login(session.user_id, now);
    record_audit(tx, now, session.user_id, origin, kAuditLogin, {"user", session.user_id},
                 nlohmann::json{{"session_id", session.id}}.dump());
    return pair;
  });

  User user = credentials->user;
  user.last_login = now;
  return LoginResult{tokens, std::move(user)};
}

AuthenticatedUser AuthService::authenticate(std::string_view access_token) {
  ServiceContext& ctx = impl_->ctx;
  const auto claims = impl_->codec.decode(access_token);
  const Timestamp now = ctx.clock->now();
  if (!claims || claims->type != auth::TokenType::kAccess ||
      claims->expires_at * 1000 <= now)
    throw Error::authentication_failed(kBadToken);

  struct Found {
    std::optional<Session> session;
    std::optional<User> user;
  };
  const Found found = ctx.store->read([&](Transaction& tx) {
    Found f;
    f.session = tx.sessions().find(claims->session_id);
    if (f.session && f.session->user_id == claims->user_id)
      f.user = tx.users().find(claims->user_id);
    return f;
  });
  const std::optional<Session>& session = found.session;
  if (!session || session->user_id != claims->user_id || !impl_->live(*session, now))
    throw Error::authentication_failed(kBadToken);
  if (!found.user || !found.user->is_active)
    throw Error::authentication_failed("User is inactive or deleted.");
  return AuthenticatedUser{Principal{found.user->id, found.user->role, session->id, {}},
                           std::move(*found.user)};
}

void AuthService::check_rate(RequestKind kind, std::optional<std::int64_t> user_id,
                             std::string_view ip) {
  ServiceContext& ctx = impl_->ctx;
  const RateLimitOptions& limits = ctx.rate_limits;
  if (!limits.enabled) return;
  const Timestamp now = ctx.clock->now();
  if (!user_id) {
    Impl::throw_if_refused(
        ctx.rate_limiter->acquire("anon:" + std::string(ip), limits.anonymous_per_ip, now));
    return;
  }
  const bool read = kind == RequestKind::kRead;
  const RateLimit& limit = read ? limits.reads_per_user : limits.writes_per_user;
  if (limit.unlimited()) return;
  const std::string key = (read ? "read:" : "write:") + std::to_string(*user_id);
  Impl::throw_if_refused(ctx.rate_limiter->acquire(key, limit, now));
}

}  // namespace taskcore

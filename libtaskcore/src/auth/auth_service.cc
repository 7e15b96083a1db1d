#include "taskcore/auth_service.h"

#include <nlohmann/json.hpp>

#include "auth/token_codec.h"
#include "core/change_log.h"
#include "core/service_context.h"

namespace taskcore {
namespace {

constexpr const char* kBadCredentials =
    "No active account found with the given credentials.";
constexpr const char* kBadToken = "Given token not valid for any token type.";
constexpr const char* kSigningKeySetting = "token_signing_key";

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

struct AuthService::Impl {
  ServiceContext& ctx;
  auth::TokenCodec codec;

  TokenPair issue(const Session& session, Timestamp now) {
    const std::int64_t now_s = now / 1000;
    auth::TokenClaims access;
    access.type = auth::TokenType::kAccess;
    access.user_id = session.user_id;
    access.session_id = session.id;
    access.token_id = ctx.random->hex_token(16);
    access.issued_at = now_s;
    access.expires_at = now_s + ctx.auth.access_lifetime_s;

    auth::TokenClaims refresh = access;
    refresh.type = auth::TokenType::kRefresh;
    refresh.token_id = session.refresh_id;
    refresh.expires_at = session.expires_at / 1000;

    return TokenPair{codec.encode(access), codec.encode(refresh),
                     ctx.auth.access_lifetime_s};
  }
};

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
  const auto [username, password] = required_credentials(input);
  auto credentials = ctx.store->read(
      [&](Transaction& tx) { return tx.users().find_by_username(username); });
  // Unknown users cost a full hash too, so timing does not reveal them.
  const std::string& hash =
      credentials ? credentials->password_hash : ctx.hasher->decoy_hash();
  const bool password_ok = ctx.hasher->verify(password, hash);
  const Timestamp now = ctx.clock->now();

  if (!credentials || !password_ok || !credentials->user.is_active) {
    const char* reason = !credentials       ? "unknown_user"
                         : !password_ok     ? "wrong_password"
                                            : "inactive_user";
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
  session.refresh_id = ctx.random->hex_token(16);
  ctx.store->write([&](Transaction& tx) {
    tx.sessions().insert(session);
    tx.users().set_last_login(session.user_id, now);
    record_audit(tx, now, session.user_id, origin, kAuditLogin,
                 {"user", session.user_id},
                 nlohmann::json{{"session_id", session.id}}.dump());
  });

  User user = credentials->user;
  user.last_login = now;
  return LoginResult{impl_->issue(session, now), std::move(user)};
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
  const std::int64_t idle_ms = ctx.auth.session_idle_timeout_s * 1000;
  const std::optional<Session>& session = found.session;
  if (!session || session->revoked_at || session->user_id != claims->user_id ||
      session->expires_at <= now || session->last_used_at + idle_ms <= now)
    throw Error::authentication_failed(kBadToken);
  if (!found.user || !found.user->is_active)
    throw Error::authentication_failed("User is inactive or deleted.");
  return AuthenticatedUser{Principal{found.user->id, found.user->role, session->id, {}},
                           std::move(*found.user)};
}

}  // namespace taskcore

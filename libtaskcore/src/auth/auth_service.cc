#include "taskcore/auth_service.h"

#include "auth/token_codec.h"
#include "taskcore/clock.h"
#include "taskcore/error.h"
#include "taskcore/password_hasher.h"
#include "taskcore/random.h"
#include "taskcore/store.h"

namespace taskcore {
namespace {

constexpr const char* kBadCredentials =
    "No active account found with the given credentials.";
constexpr const char* kBadToken = "Given token not valid for any token type.";

std::string resolve_signing_key(Store& store, RandomSource& random,
                                const AuthOptions& options) {
  if (!options.signing_key.empty()) return options.signing_key;
  // Kept in the store so every server sharing the database (and every
  // restart) accepts the same tokens.
  return store.setting_or_insert("token_signing_key", random.hex_token(32));
}

}  // namespace

struct AuthService::Impl {
  std::shared_ptr<Store> store;
  std::shared_ptr<const Clock> clock;
  std::shared_ptr<RandomSource> random;
  std::shared_ptr<const PasswordHasher> hasher;
  AuthOptions options;
  auth::TokenCodec codec;

  TokenPair issue(const Session& session, Timestamp now) {
    const std::int64_t now_s = now / 1000;
    auth::TokenClaims access;
    access.type = auth::TokenType::kAccess;
    access.user_id = session.user_id;
    access.session_id = session.id;
    access.token_id = random->hex_token(16);
    access.issued_at = now_s;
    access.expires_at = now_s + options.access_lifetime_s;

    auth::TokenClaims refresh = access;
    refresh.type = auth::TokenType::kRefresh;
    refresh.token_id = session.refresh_id;
    refresh.expires_at = session.expires_at / 1000;

    return TokenPair{codec.encode(access), codec.encode(refresh),
                     options.access_lifetime_s};
  }
};

AuthService::AuthService(std::shared_ptr<Store> store,
                         std::shared_ptr<const Clock> clock,
                         std::shared_ptr<RandomSource> random,
                         std::shared_ptr<const PasswordHasher> hasher,
                         AuthOptions options) {
  std::string key = resolve_signing_key(*store, *random, options);
  impl_ = std::unique_ptr<Impl>(new Impl{std::move(store), std::move(clock),
                                         std::move(random), std::move(hasher),
                                         std::move(options),
                                         auth::TokenCodec(std::move(key))});
}

AuthService::~AuthService() = default;

const AuthOptions& AuthService::options() const { return impl_->options; }

LoginResult AuthService::login(std::string_view username,
                               std::string_view password) {
  auto credentials = impl_->store->find_credentials(username);
  // Unknown users cost a full hash too, so timing does not reveal them.
  const std::string& hash =
      credentials ? credentials->password_hash : impl_->hasher->decoy_hash();
  const bool password_ok = impl_->hasher->verify(password, hash);
  if (!credentials || !password_ok || !credentials->user.is_active)
    throw Error::authentication_failed(kBadCredentials);

  const Timestamp now = impl_->clock->now();
  Session session;
  session.id = impl_->random->hex_token(16);
  session.user_id = credentials->user.id;
  session.created_at = now;
  session.last_used_at = now;
  session.expires_at = now + impl_->options.refresh_lifetime_s * 1000;
  session.refresh_id = impl_->random->hex_token(16);
  impl_->store->insert_session(session);
  impl_->store->record_login(session.user_id, now);

  User user = credentials->user;
  user.last_login = now;
  return LoginResult{impl_->issue(session, now), std::move(user)};
}

AuthenticatedUser AuthService::authenticate(std::string_view access_token) {
  const auto claims = impl_->codec.decode(access_token);
  const Timestamp now = impl_->clock->now();
  if (!claims || claims->type != auth::TokenType::kAccess ||
      claims->expires_at * 1000 <= now)
    throw Error::authentication_failed(kBadToken);

  const auto session = impl_->store->find_session(claims->session_id);
  const std::int64_t idle_ms = impl_->options.session_idle_timeout_s * 1000;
  if (!session || session->revoked_at || session->user_id != claims->user_id ||
      session->expires_at <= now || session->last_used_at + idle_ms <= now)
    throw Error::authentication_failed(kBadToken);

  auto user = impl_->store->find_user(claims->user_id);
  if (!user || !user->is_active)
    throw Error::authentication_failed("User is inactive or deleted.");
  return AuthenticatedUser{Principal{user->id, user->role, session->id},
                           std::move(*user)};
}

}  // namespace taskcore

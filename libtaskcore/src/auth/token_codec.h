#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskcore::auth {

enum class TokenType { kAccess, kRefresh };

struct TokenClaims {
  TokenType type = TokenType::kAccess;
  std::int64_t user_id = 0;
  std::string session_id;
  std::string token_id;     // jti
  std::int64_t issued_at = 0;   // seconds since the epoch (JWT iat)
  std::int64_t expires_at = 0;  // seconds since the epoch (JWT exp)
};

// JWTs signed with HMAC-SHA256 (libsodium). The header is fixed to
// {"alg":"HS256","typ":"JWT"}; tokens with any other header are refused, so
// "alg":"none" tricks cannot apply.
class TokenCodec {
 public:
  explicit TokenCodec(std::string key);
  std::string encode(const TokenClaims& claims) const;
  // nullopt when the token is malformed or its signature is wrong. Expiry
  // is the caller's check.
  std::optional<TokenClaims> decode(std::string_view token) const;

 private:
  std::string sign(std::string_view signing_input) const;
  std::string key_;
};

}  // namespace taskcore::auth

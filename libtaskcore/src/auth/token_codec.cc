#include "auth/token_codec.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

namespace taskcore::auth {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string base64url(const void* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    static_cast<const unsigned char*>(data), size, kVariant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                        text.data(), text.size(), nullptr, &length, nullptr,
                        kVariant) != 0)
    return std::nullopt;
  out.resize(length);
  return out;
}

const std::string& header_segment() {
  static const std::string segment = [] {
    const std::string header = R"({"alg":"HS256","typ":"JWT"})";
    return base64url(header.data(), header.size());
  }();
  return segment;
}

}  // namespace

TokenCodec::TokenCodec(std::string key) : key_(std::move(key)) {}

std::string TokenCodec::sign(std::string_view signing_input) const {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signing_input.data()),
      signing_input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<char*>(mac), sizeof mac);
}

std::string TokenCodec::encode(const TokenClaims& claims) const {
  const nlohmann::json payload = {
      {"token_type", claims.type == TokenType::kAccess ? "access" : "refresh"},
      {"exp", claims.expires_at},
      {"iat", claims.issued_at},
      {"jti", claims.token_id},
      {"user_id", claims.user_id},
      {"sid", claims.session_id},
  };
  const std::string body = payload.dump();
  std::string token = header_segment();
  token.push_back('.');
  token += base64url(body.data(), body.size());
  const std::string mac = sign(token);
  token.push_back('.');
  token += base64url(mac.data(), mac.size());
  return token;
}

std::optional<TokenClaims> TokenCodec::decode(std::string_view token) const {
  if (token.size() > 4096) return std::nullopt;
  const auto first = token.find('.');
  const auto second = token.rfind('.');
  if (first == std::string_view::npos || first == second) return std::nullopt;
  if (token.substr(0, first) != header_segment()) return std::nullopt;

  const auto mac = unbase64url(token.substr(second + 1));
  const std::string expected = sign(token.substr(0, second));
  if (!mac || mac->size() != expected.size() ||
      sodium_memcmp(mac->data(), expected.data(), expected.size()) != 0)
    return std::nullopt;

  const auto body = unbase64url(token.substr(first + 1, second - first - 1));
  if (!body) return std::nullopt;
  const auto payload = nlohmann::json::parse(*body, nullptr, false);
  if (!payload.is_object()) return std::nullopt;
  try {
    TokenClaims claims;
    const std::string type = payload.at("token_type").get<std::string>();
    if (type == "access") claims.type = TokenType::kAccess;
    else if (type == "refresh") claims.type = TokenType::kRefresh;
    else return std::nullopt;
    claims.expires_at = payload.at("exp").get<std::int64_t>();
    claims.issued_at = payload.at("iat").get<std::int64_t>();
    claims.token_id = payload.at("jti").get<std::string>();
    claims.user_id = payload.at("user_id").get<std::int64_t>();
    claims.session_id = payload.at("sid").get<std::string>();
    return claims;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace taskcore::auth

#pragma once

#include <string>
#include <string_view>

namespace taskcore::auth {

// SHA-256 of a high-entropy secret (refresh and reset tokens), lowercase
// hex: what the store keeps instead of the secret. No salt or stretching is
// needed for 256 random bits; passwords use argon2id instead.
std::string secret_hash(std::string_view secret);

}  // namespace taskcore::auth

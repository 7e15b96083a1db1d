#include "taskcore/random.h"

#include <sodium.h>

#include <vector>

#include "taskcore/error.h"

namespace taskcore {

std::string RandomSource::hex_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  fill(raw.data(), raw.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

SecureRandom::SecureRandom() {
  if (sodium_init() < 0) throw Error::internal("libsodium failed to start.");
}

void SecureRandom::fill(void* buffer, std::size_t size) {
  randombytes_buf(buffer, size);
}

}  // namespace taskcore

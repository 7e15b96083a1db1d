#include "taskcore/password_hasher.h"

#include <sodium.h>

#include "taskcore/error.h"

namespace taskcore {

PasswordHasher::PasswordHasher(PasswordCost cost) : cost_(cost) {
  if (sodium_init() < 0) throw Error::internal("libsodium failed to start.");
  unsigned char random_password[32];
  randombytes_buf(random_password, sizeof random_password);
  decoy_ = hash(std::string_view(reinterpret_cast<char*>(random_password),
                                 sizeof random_password));
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops,
                            cost_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error::internal("Password hashing failed.");
  return out;
}

bool PasswordHasher::verify(std::string_view password,
                            const std::string& hash) const {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

}  // namespace taskcore

#include "taskcore/password_hasher.h"

#include <sodium.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "taskcore/error.h"

namespace taskcore {

std::size_t PasswordCost::concurrency() const {
  if (max_concurrent > 0) return max_concurrent;
  const std::size_t by_memory = memory_bytes > 0 ? memory_budget_bytes / memory_bytes : 1;
  const std::size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(by_memory, cpus));
}

// A counting semaphore with a timed wait, in FIFO-ish order (the
// condition variable's).
class PasswordHasher::Gate {
 public:
  explicit Gate(std::size_t slots) : free_(slots) {}

  class Pass {
   public:
    explicit Pass(Gate& gate) : gate_(gate) {}
    ~Pass() { gate_.leave(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    Gate& gate_;
  };

  // Throws Error(kServiceUnavailable) after `timeout`.
  void enter(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, timeout, [&] { return free_ > 0; }))
      throw Error(ErrorCode::kServiceUnavailable,
                  "Too many password checks at once; try again shortly.");
    --free_;
  }

 private:
  void leave() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    freed_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t free_;
};

PasswordHasher::PasswordHasher(PasswordCost cost)
    : cost_(cost), gate_(std::make_shared<Gate>(cost.concurrency())) {
  if (sodium_init() < 0) throw Error::internal("libsodium failed to start.");
  unsigned char random_password[32];
  randombytes_buf(random_password, sizeof random_password);
  decoy_ = hash(std::string_view(reinterpret_cast<char*>(random_password),
                                 sizeof random_password));
}

std::string PasswordHasher::hash(std::string_view password) const {
  gate_->enter(cost_.queue_timeout);
  const Gate::Pass pass(*gate_);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops,
                            cost_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error::internal("Password hashing failed.");
  return out;
}

bool PasswordHasher::verify(std::string_view password,
                            const std::string& hash) const {
  gate_->enter(cost_.queue_timeout);
  const Gate::Pass pass(*gate_);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

}  // namespace taskcore

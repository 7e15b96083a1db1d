#pragma once

// Counts the polls held at once (Socket.IO GETs and JSON long-polls).
// Each held poll keeps one worker of the elastic pool while it waits, so
// the cap keeps threads free for REST; past it a poll is refused at once.

#include <atomic>
#include <cstddef>

namespace taskcore::server::realtime {

class HoldGate {
 public:
  explicit HoldGate(std::size_t limit) : limit_(limit) {}

  // One admitted hold; released when destroyed. Move-only.
  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(HoldGate* gate) : gate_(gate) {}
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket& operator=(Ticket&& other) noexcept {
      if (this != &other) {
        release();
        gate_ = other.gate_;
        other.gate_ = nullptr;
      }
      return *this;
    }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { release(); }
    explicit operator bool() const { return gate_ != nullptr; }

   private:
    void release() {
      if (gate_) gate_->held_.fetch_sub(1, std::memory_order_relaxed);
      gate_ = nullptr;
    }
    HoldGate* gate_ = nullptr;
  };

  // An empty ticket when `limit` polls are already held.
  Ticket try_enter() {
    std::size_t held = held_.load(std::memory_order_relaxed);
    do {
      if (held >= limit_) return Ticket();
    } while (!held_.compare_exchange_weak(held, held + 1, std::memory_order_relaxed));
    return Ticket(this);
  }

  std::size_t held() const { return held_.load(std::memory_order_relaxed); }
  std::size_t limit() const { return limit_; }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> held_{0};
};

}  // namespace taskcore::server::realtime

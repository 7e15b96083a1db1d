#pragma once

#include <functional>
#include <utility>

#include "taskcore/export.h"

namespace taskcore {

// A registration (an event subscriber, a scheduled job) that ends when this
// handle is destroyed or reset. Move-only.
class TASKCORE_EXPORT Subscription {
 public:
  Subscription() = default;
  explicit Subscription(std::function<void()> cancel)
      : cancel_(std::move(cancel)) {}
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription();

  // Ends the registration now; a no-op when already ended.
  void reset();
  explicit operator bool() const { return static_cast<bool>(cancel_); }

 private:
  std::function<void()> cancel_;
};

}  // namespace taskcore

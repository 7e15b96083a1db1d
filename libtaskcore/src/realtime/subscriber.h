#pragma once

// One connection's bounded event queue (RealtimeSubscriber). The hub keeps
// its rooms and delivers to it; the subscriber only queues, wakes and hands
// out events.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "taskcore/realtime.h"

namespace taskcore::realtime {

struct HubState;

class Subscriber final : public RealtimeSubscriber {
 public:
  // `internal` subscribers (RealtimeHub::wait's) count for nothing: no
  // presence, no stats.
  Subscriber(std::weak_ptr<HubState> hub, Principal principal, std::size_t queue_limit,
             std::int64_t cursor, bool internal);
  // Leaves the hub's rooms if the hub still exists (a transport that drops
  // its handle without disconnect leaves no dangling member behind).
  ~Subscriber() override;

  const Principal& principal() const override { return principal_; }
  std::vector<std::string> rooms() const override;
  std::vector<RealtimeEvent> take(std::size_t max_events) override;
  std::vector<RealtimeEvent> wait(std::chrono::milliseconds timeout,
                                  std::size_t max_events) override;
  void set_waker(std::function<void()> waker) override;
  bool overflowed() const override;
  bool closed() const override;
  std::int64_t cursor() const override;

  using Waker = std::shared_ptr<const std::function<void()>>;

  enum class Outcome { kIgnored, kQueued, kDropped };
  // Queues `event`. `waker` gets the waker to call once the caller holds no
  // lock (set when the queue became non-empty or the subscriber was just
  // dropped). Never blocks on the consumer.
  Outcome deliver(RealtimeEvent event, Waker& waker);
  // Marks it closed and wakes waiters; returns the waker to call (null when
  // it was already closed).
  Waker close();

  bool internal() const { return internal_; }
  // Room membership, kept here so rooms() needs no hub lock. Called by the
  // hub under its own mutex.
  void set_rooms(std::vector<std::string> rooms);
  // The hub's cursor once it is registered (never moves backwards).
  void advance_cursor(std::int64_t cursor);

 private:
  const std::weak_ptr<HubState> hub_;
  const Principal principal_;
  const std::size_t queue_limit_;
  const bool internal_;

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<RealtimeEvent> queue_;
  std::vector<std::string> rooms_;
  Waker waker_;
  std::int64_t cursor_;
  bool overflowed_ = false;
  bool closed_ = false;
};

}  // namespace taskcore::realtime

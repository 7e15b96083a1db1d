#include "realtime/subscriber.h"

#include <algorithm>

#include "realtime/hub_state.h"

namespace taskcore::realtime {

Subscriber::Subscriber(std::weak_ptr<HubState> hub, Principal principal,
                       std::size_t queue_limit, std::int64_t cursor, bool internal)
    : hub_(std::move(hub)),
      principal_(std::move(principal)),
      queue_limit_(std::max<std::size_t>(queue_limit, 1)),
      internal_(internal),
      cursor_(cursor) {}

Subscriber::~Subscriber() {
  if (std::shared_ptr<HubState> hub = hub_.lock()) hub->forget(*this);
}

std::vector<std::string> Subscriber::rooms() const {
  std::lock_guard lock(mutex_);
  return rooms_;
}

std::vector<RealtimeEvent> Subscriber::take(std::size_t max_events) {
  std::lock_guard lock(mutex_);
  const std::size_t n = std::min(max_events, queue_.size());
  std::vector<RealtimeEvent> out(std::make_move_iterator(queue_.begin()),
                                 std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  return out;
}

std::vector<RealtimeEvent> Subscriber::wait(std::chrono::milliseconds timeout,
                                            std::size_t max_events) {
  {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return !queue_.empty() || closed_ || overflowed_; });
  }
  return take(max_events);
}

void Subscriber::set_waker(std::function<void()> waker) {
  std::lock_guard lock(mutex_);
  if (waker)
    waker_ = std::make_shared<const std::function<void()>>(std::move(waker));
  else
    waker_.reset();
}

bool Subscriber::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

bool Subscriber::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::int64_t Subscriber::cursor() const {
  std::lock_guard lock(mutex_);
  return cursor_;
}

Subscriber::Outcome Subscriber::deliver(RealtimeEvent event, Waker& waker) {
  std::lock_guard lock(mutex_);
  if (closed_ || overflowed_) return Outcome::kIgnored;
  if (queue_.size() >= queue_limit_) {
    // The client fell behind: free its memory now; it resyncs by cursor.
    std::deque<RealtimeEvent>().swap(queue_);
    overflowed_ = true;
    ready_.notify_all();
    waker = waker_;
    return Outcome::kDropped;
  }
  if (event.sequence > cursor_) cursor_ = event.sequence;
  const bool was_empty = queue_.empty();
  queue_.push_back(std::move(event));
  if (was_empty) {
    ready_.notify_all();
    waker = waker_;
  }
  return Outcome::kQueued;
}

Subscriber::Waker Subscriber::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return nullptr;
  closed_ = true;
  rooms_.clear();
  ready_.notify_all();
  return waker_;
}

void Subscriber::set_rooms(std::vector<std::string> rooms) {
  std::lock_guard lock(mutex_);
  rooms_ = std::move(rooms);
}

void Subscriber::advance_cursor(std::int64_t cursor) {
  std::lock_guard lock(mutex_);
  cursor_ = std::max(cursor_, cursor);
}

}  // namespace taskcore::realtime

#include "transport/reactor.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace taskcore::server::transport {
namespace {

// Deadlines are checked this often; they are precise to about this much.
constexpr auto kSweepInterval = std::chrono::milliseconds(100);
constexpr int kMaxEvents = 256;
constexpr std::uint32_t kWatchEvents = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;

}  // namespace

Reactor::Reactor(Ready ready) : ready_(std::move(ready)) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("epoll unavailable");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up descriptor
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
}

Reactor::~Reactor() {
  stop();
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void Reactor::start() {
  running_ = true;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "taskcore-reactor");
    loop();
  });
}

void Reactor::stop() {
  if (running_.exchange(false)) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  stopped_ = true;
  while (first_) {
    Connection* connection = first_;
    unlink(connection);
    delete connection;
  }
}

std::size_t Reactor::waiting() const {
  std::lock_guard lock(mutex_);
  return count_;
}

void Reactor::link(Connection* connection) {
  connection->prev = nullptr;
  connection->next = first_;
  if (first_) first_->prev = connection;
  first_ = connection;
  ++count_;
}

void Reactor::unlink(Connection* connection) {
  if (connection->prev) connection->prev->next = connection->next;
  else first_ = connection->next;
  if (connection->next) connection->next->prev = connection->prev;
  connection->prev = connection->next = nullptr;
  --count_;
}

// Caller holds mutex_. EPOLLONESHOT: an event disarms the descriptor, so a
// connection is handed out once and belongs to one thread at a time.
bool Reactor::watch(Connection* connection) {
  epoll_event event{};
  event.events = kWatchEvents;
  event.data.ptr = connection;
  const int op = connection->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if (::epoll_ctl(epoll_fd_, op, connection->fd(), &event) != 0) return false;
  connection->registered = true;
  return true;
}

void Reactor::park(std::unique_ptr<Connection> connection) {
  connection->release_buffers();
  rewatch(std::move(connection));
}

void Reactor::loop() {
  std::vector<epoll_event> events(kMaxEvents);
  auto last_sweep = Clock::now();
  while (running_) {
    const int n = ::epoll_wait(epoll_fd_, events.data(), kMaxEvents,
                               static_cast<int>(kSweepInterval.count()));
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == nullptr) {
        std::uint64_t drained;
        [[maybe_unused]] const auto read = ::read(wake_fd_, &drained, sizeof drained);
        continue;
      }
      auto* connection = static_cast<Connection*>(events[i].data.ptr);
      {
        std::lock_guard lock(mutex_);
        unlink(connection);
      }
      on_event(connection, events[i].events);
    }
    // Only after the batch: a connection closed here can have no event
    // left in it (closing the socket drops it from the epoll set).
    const auto now = Clock::now();
    if (now - last_sweep >= kSweepInterval) {
      sweep(now);
      last_sweep = now;
    }
  }
}

void Reactor::on_event(Connection* connection, std::uint32_t events) {
  std::unique_ptr<Connection> owned(connection);
  if (events & EPOLLERR) return;
  if (owned->draining()) {
    if (owned->drain()) rewatch(std::move(owned));
    return;
  }
  const Connection::Fill fill = owned->fill();
  if (fill == Connection::Fill::kFailed) return;
  if (fill == Connection::Fill::kOverBudget) {
    owned->mark_refused("The server is busy; try again later.");
    ready_(std::move(owned));
    return;
  }
  const auto now = Clock::now();
  if (owned->frame(now) != RequestFramer::Status::kNeedMore) {
    ready_(std::move(owned));
    return;
  }
  if (owned->peer_closed() || now >= owned->deadline()) return;
  rewatch(std::move(owned));
}

void Reactor::rewatch(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  // Linked before it is armed: the event cannot be handled before the
  // connection is on the list it is taken off.
  link(connection.get());
  if (watch(connection.get())) {
    connection.release();
  } else {
    unlink(connection.get());
  }
}

void Reactor::sweep(Clock::time_point now) {
  std::vector<Connection*> expired;
  {
    std::lock_guard lock(mutex_);
    for (Connection* c = first_; c != nullptr;) {
      Connection* next = c->next;
      if (now >= c->deadline()) {
        unlink(c);
        expired.push_back(c);
      }
      c = next;
    }
  }
  for (Connection* c : expired) delete c;
}

}  // namespace taskcore::server::transport

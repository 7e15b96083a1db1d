#pragma once

// Where connections wait without a thread: new ones, idle keep-alive ones,
// and those whose request is still arriving. One epoll thread reads what
// arrives and frames it; a connection goes to a worker only once it holds
// a complete request (or one to refuse), and is closed when its deadline
// passes or the peer goes away.

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "transport/connection.h"

namespace taskcore::server::transport {

class Reactor {
 public:
  // Receives a connection that has a request to serve or refuse; runs on
  // the reactor thread and must not block.
  using Ready = std::function<void(std::unique_ptr<Connection>)>;

  explicit Reactor(Ready ready);
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  void start();
  // Closes every waiting connection; park() closes from then on.
  void stop();

  // Watches `connection` until it is ready, expires or closes. Thread-safe.
  void park(std::unique_ptr<Connection> connection);

  std::size_t waiting() const;

 private:
  void loop();
  void on_event(Connection* connection, std::uint32_t events);
  void sweep(Clock::time_point now);
  void link(Connection* connection);
  void unlink(Connection* connection);
  bool watch(Connection* connection);
  // Puts a connection (back) on the list and arms it; closes it instead
  // once stopped.
  void rewatch(std::unique_ptr<Connection> connection);

  Ready ready_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<bool> running_{false};

  mutable std::mutex mutex_;
  bool stopped_ = false;
  Connection* first_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace taskcore::server::transport

#pragma once

// A fixed-size pool of connections. Connections open on demand (at most
// `size` at once) and a broken one is dropped when it comes back, so the
// pool heals by itself once the server is reachable again. When a lease
// finds its connection lost, the idle ones are dropped too: they most
// likely lost the same server (a restart), and each would otherwise fail
// one request before being replaced.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "storage/postgres/connection.h"

namespace taskcore::postgres {

class Pool {
 public:
  Pool(ConnectSettings settings, int size, std::chrono::milliseconds wait, Logger& logger);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // An idle connection, or a new one while fewer than `size` are open.
  // Throws PgError (kServiceUnavailable) when none is free within `wait`
  // or a new one cannot connect.
  Lease acquire();
  // Closes every idle connection.
  void drop_idle();

  // The configured size and the connections leased right now.
  std::pair<int, int> usage();

  const ConnectSettings& settings() const { return settings_; }
  Logger& logger() const { return logger_; }

 private:
  void release(std::unique_ptr<Connection> conn) noexcept;

  const ConnectSettings settings_;
  const int size_;
  const std::chrono::milliseconds wait_;
  Logger& logger_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle + leased + being opened
};

}  // namespace taskcore::postgres

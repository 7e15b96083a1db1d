#pragma once

// The CommitListener of the PostgreSQL store: one connection of its own
// that LISTENs on the outbox channel, and one thread that waits on its
// socket. Notifications carry only the last sequence number of a commit
// (NOTIFY payloads are capped at 8000 bytes; the subscribers read the rows
// from the outbox). When the connection drops, the thread reconnects with
// backoff and then tells subscribers to catch up on everything, since
// notifications sent meanwhile are lost.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "storage/postgres/connection.h"
#include "taskcore/commit_listener.h"

namespace taskcore::postgres {

class Listener final : public CommitListener {
 public:
  Listener(ConnectSettings settings, Logger& logger);
  ~Listener() override;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  Subscription subscribe(std::function<void(std::int64_t)> callback) override;

  // Whether the LISTEN connection is up (for tests and health).
  bool connected() const { return connected_.load(); }

 private:
  void run();
  // Connects and LISTENs; false (after logging) when that failed.
  bool listen(std::unique_ptr<Connection>& conn);
  void deliver(std::int64_t sequence);

  const ConnectSettings settings_;
  Logger& logger_;
  int wake_fd_ = -1;  // eventfd: wakes the thread's poll to stop it
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  bool reported_outage_ = false;  // the listener thread's own

  // Held while callbacks run, so unsubscribing waits for a call in
  // progress; recursive so a callback may unsubscribe itself.
  std::recursive_mutex callbacks_mutex_;
  std::map<std::uint64_t, std::function<void(std::int64_t)>> callbacks_;
  std::uint64_t next_id_ = 1;

  std::thread thread_;
};

}  // namespace taskcore::postgres

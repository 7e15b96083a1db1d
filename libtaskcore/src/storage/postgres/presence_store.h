#pragma once

// The PresenceStore every server on one PostgreSQL database shares: one
// heartbeat row per server in realtime_servers and its users per room in
// realtime_presence (both UNLOGGED; see schema.cc, v4). A server is live
// while its heartbeat is newer than what the reader asks for; a server
// that crashed simply stops being live, and once it has been silent for
// kForgetAfter the next publish by any server deletes its rows, so the
// tables hold only servers seen within the last hour.

#include <chrono>
#include <memory>

#include "storage/postgres/pool.h"
#include "taskcore/presence_store.h"

namespace taskcore::postgres {

class PgPresenceStore final : public PresenceStore {
 public:
  // How long a silent server's rows stay before a publish deletes them:
  // far past any heartbeat ttl, so clocks a little out of step never make
  // one server delete another that is still running.
  static constexpr std::chrono::milliseconds kForgetAfter = std::chrono::hours(1);

  explicit PgPresenceStore(std::shared_ptr<Pool> pool);

  // Every entry is stored under `server_id` (the entries' own server_id is
  // ignored) and an entry listed twice is stored once. Also deletes the
  // servers whose heartbeat is older than now - kForgetAfter. All of it in
  // one transaction: on any failure nothing changed.
  // The three methods throw Error(kServiceUnavailable) when the database
  // cannot be reached or answers too late, Error(kInternalError) otherwise
  // (PgError; the server's text goes to the logger only). Nothing is
  // retried: the next heartbeat publishes everything again.
  void publish(const std::string& server_id, const std::vector<PresenceEntry>& entries,
               Timestamp now) override;
  std::vector<PresenceEntry> live(Timestamp since) override;
  // Deletes the server's heartbeat too, so it is not live even with no
  // entries.
  void withdraw(const std::string& server_id) override;

 private:
  std::shared_ptr<Pool> pool_;
};

}  // namespace taskcore::postgres

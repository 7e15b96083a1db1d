#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/time.h"

namespace taskcore {

// One user present in one room through one server.
struct PresenceEntry {
  std::string server_id;
  std::string room;
  std::int64_t user_id = 0;
};

// Presence shared by every server on one database (PostgreSQL's heartbeat
// table). Each server publishes the whole of its own presence on every
// heartbeat; a server that stops publishing (it crashed) disappears from
// live() once its last heartbeat is older than the ttl. Thread safe.
// Obtained from Store::shared_presence(); null on a store used by one
// process only (SQLite), where presence stays in memory.
class TASKCORE_EXPORT PresenceStore {
 public:
  virtual ~PresenceStore() = default;
  // Replaces every entry of `server_id` with `entries` and stamps the
  // server's heartbeat with `now`, in one transaction.
  virtual void publish(const std::string& server_id,
                       const std::vector<PresenceEntry>& entries,
                       Timestamp now) = 0;
  // Entries of every server whose heartbeat is newer than `since`, ordered
  // by room, user id, server id.
  virtual std::vector<PresenceEntry> live(Timestamp since) = 0;
  // Removes every entry of `server_id` (a clean shutdown).
  virtual void withdraw(const std::string& server_id) = 0;
};

}  // namespace taskcore

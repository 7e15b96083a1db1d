#include "storage/postgres/presence_store.h"

#include <string_view>

namespace taskcore::postgres {
namespace {

constexpr const char* kBeat =
    "INSERT INTO realtime_servers (server_id, heartbeat_at) VALUES ($1, $2) "
    "ON CONFLICT (server_id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at";
constexpr const char* kClear = "DELETE FROM realtime_presence WHERE server_id = $1";
// All entries in one statement, whatever their number; a user with two
// connections in one room is listed twice by its server and stored once.
constexpr const char* kInsert =
    "INSERT INTO realtime_presence (server_id, room, user_id) "
    "SELECT $1, e.room, e.user_id FROM unnest($2::text[], $3::bigint[]) AS e (room, user_id) "
    "ON CONFLICT DO NOTHING";
// SKIP LOCKED: a server that is publishing right now holds its own row (the
// heartbeat upsert above), so it is never deleted under it, and two servers
// forgetting the same expired ones never wait on each other or deadlock.
constexpr const char* kForget =
    "DELETE FROM realtime_servers WHERE server_id IN ("
    "SELECT server_id FROM realtime_servers WHERE heartbeat_at < $1 AND server_id <> $2 "
    "FOR UPDATE SKIP LOCKED)";
// One statement: one snapshot, so a publish is seen whole or not at all.
constexpr const char* kLive =
    "SELECT p.server_id, p.room, p.user_id FROM realtime_presence p "
    "JOIN realtime_servers s ON s.server_id = p.server_id WHERE s.heartbeat_at > $1 "
    "ORDER BY p.room, p.user_id, p.server_id";
// The cascade removes the entries.
constexpr const char* kWithdraw = "DELETE FROM realtime_servers WHERE server_id = $1";

}  // namespace

PgPresenceStore::PgPresenceStore(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

void PgPresenceStore::publish(const std::string& server_id,
                              const std::vector<PresenceEntry>& entries, Timestamp now) {
  std::vector<std::string_view> rooms;
  std::vector<std::int64_t> users;
  rooms.reserve(entries.size());
  users.reserve(entries.size());
  for (const PresenceEntry& entry : entries) {
    rooms.emplace_back(entry.room);
    users.push_back(entry.user_id);
  }
  const std::string_view id = server_id;
  Pool::Lease conn = pool_->acquire();
  try {
    conn->exec("BEGIN ISOLATION LEVEL READ COMMITTED");
    conn->query(kBeat, Params().add(id).add(now));
    conn->query(kClear, Params().add(id));
    if (!entries.empty()) conn->query(kInsert, Params().add(id).add_texts(rooms).add_ids(users));
    conn->query(kForget, Params().add(now - kForgetAfter.count()).add(id));
    conn->exec("COMMIT");
  } catch (...) {
    conn->rollback_quietly();
    throw;
  }
}

std::vector<PresenceEntry> PgPresenceStore::live(Timestamp since) {
  Pool::Lease conn = pool_->acquire();
  const Result rows = conn->query(kLive, Params().add(since));
  std::vector<PresenceEntry> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row)
    out.push_back({rows.text(row, 0), rows.text(row, 1), rows.int64(row, 2)});
  return out;
}

void PgPresenceStore::withdraw(const std::string& server_id) {
  Pool::Lease conn = pool_->acquire();
  conn->query(kWithdraw, Params().add(std::string_view(server_id)));
}

}  // namespace taskcore::postgres

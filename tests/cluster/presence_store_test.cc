// The PostgreSQL PresenceStore (Store::shared_presence): what servers on
// one database publish and what every one of them reads back.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/store_backends.h"
#include "support/postgres_test_db.h"
#include "taskcore/open_store.h"
#include "taskcore/presence_store.h"
#include "taskcore/store_wrapper.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

constexpr Timestamp kHour = 60 * 60 * 1000;

std::vector<PresenceEntry> entries(
    const std::vector<std::pair<std::string, std::int64_t>>& rooms_and_users) {
  std::vector<PresenceEntry> out;
  for (const auto& [room, user] : rooms_and_users) out.push_back({"", room, user});
  return out;
}

// "room/user@server" per entry, in the order live() gave them: one string,
// so a failed CHECK prints the whole list.
std::string seen(PresenceStore& presence, Timestamp since) {
  std::string out;
  for (const PresenceEntry& e : presence.live(since)) {
    if (!out.empty()) out += ' ';
    out += e.room + "/" + std::to_string(e.user_id) + "@" + e.server_id;
  }
  return out;
}

struct PresenceDb {
  std::shared_ptr<TestDatabase> db = std::make_shared<TestDatabase>();
  std::shared_ptr<Store> store = open_test_postgres_store(db, 2);
  PresenceStore& presence = *store->shared_presence();
};

}  // namespace

TEST_CASE("postgres: presence is one shared object per PostgreSQL store, none on SQLite") {
  TempDir dir;
  CHECK(open_store(dir.file("x.db"))->shared_presence() == nullptr);
  CHECK(open_store(":memory:")->shared_presence() == nullptr);
  PresenceDb pg;
  const std::shared_ptr<PresenceStore> first = pg.store->shared_presence();
  REQUIRE(first != nullptr);
  CHECK(pg.store->shared_presence() == first);
  // A wrapper (fault injection in tests) hands out its target's.
  StoreWrapper wrapper(pg.store);
  CHECK(wrapper.shared_presence() == first);
}

TEST_CASE("postgres: presence publish and live round trip") {
  PresenceDb pg;
  pg.presence.publish("s1", entries({{"project:1", 7}, {"task:3", 9}}), kT0);
  CHECK(seen(pg.presence, kT0 - 1) == "project:1/7@s1 task:3/9@s1");
  // The entries' own server id is not what counts: the publisher's is.
  pg.presence.publish("s1", {{"other", "project:1", 8}}, kT0 + 1);
  CHECK(seen(pg.presence, kT0) == "project:1/8@s1");
}

TEST_CASE("postgres: presence publish replaces the server's entries") {
  PresenceDb pg;
  pg.presence.publish("s1", entries({{"a", 1}, {"a", 2}, {"b", 1}}), kT0);
  pg.presence.publish("s1", entries({{"a", 2}, {"c", 5}}), kT0 + 1000);
  CHECK(seen(pg.presence, kT0) == "a/2@s1 c/5@s1");
}

TEST_CASE("postgres: presence of two servers is both visible, ordered by room, user, server") {
  PresenceDb pg;
  pg.presence.publish("s2", entries({{"b", 1}, {"a", 20}, {"a", 3}}), kT0);
  pg.presence.publish("s1", entries({{"a", 3}, {"b", 1}, {"B", 9}}), kT0);
  // Code point order ("B" < "a" < "b"), user ids as numbers (3 < 20).
  CHECK(seen(pg.presence, kT0 - 1) == "B/9@s1 a/3@s1 a/3@s2 a/20@s2 b/1@s1 b/1@s2");
  // One publish leaves the other server's entries alone.
  pg.presence.publish("s1", {}, kT0 + 1);
  CHECK(seen(pg.presence, kT0 - 1) == "a/3@s2 a/20@s2 b/1@s2");
}

TEST_CASE("postgres: presence of a server whose heartbeat is not newer than since is not live") {
  PresenceDb pg;
  pg.presence.publish("old", entries({{"r", 1}}), kT0);
  pg.presence.publish("new", entries({{"r", 2}}), kT0 + 5000);
  CHECK(seen(pg.presence, kT0 - 1) == "r/1@old r/2@new");
  CHECK(seen(pg.presence, kT0) == "r/2@new");  // strictly newer
  CHECK(seen(pg.presence, kT0 + 5000) == "");
  // A heartbeat brings it back.
  pg.presence.publish("old", entries({{"r", 1}}), kT0 + 6000);
  CHECK(seen(pg.presence, kT0 + 5000) == "r/1@old");
}

TEST_CASE("postgres: presence withdraw removes one server's entries and heartbeat") {
  PresenceDb pg;
  pg.presence.publish("s1", entries({{"r", 1}, {"q", 4}}), kT0);
  pg.presence.publish("s2", entries({{"r", 2}}), kT0);
  pg.presence.withdraw("s1");
  CHECK(seen(pg.presence, kT0 - 1) == "r/2@s2");
  pg.presence.withdraw("s1");          // twice: nothing left to remove
  pg.presence.withdraw("never-seen");  // a server that never published
  CHECK(seen(pg.presence, kT0 - 1) == "r/2@s2");
  // Publishing again after a withdraw works like the first time.
  pg.presence.publish("s1", entries({{"r", 1}}), kT0 + 1);
  CHECK(seen(pg.presence, kT0 - 1) == "r/1@s1 r/2@s2");
}

TEST_CASE("postgres: presence with an empty entries list") {
  PresenceDb pg;
  CHECK(pg.presence.live(0).empty());
  pg.presence.publish("s1", {}, kT0);
  CHECK(pg.presence.live(0).empty());
  pg.presence.publish("s1", entries({{"r", 1}}), kT0 + 1);
  pg.presence.publish("s1", {}, kT0 + 2);  // everyone left
  CHECK(pg.presence.live(0).empty());
}

TEST_CASE("postgres: presence rooms keep any text; an entry listed twice is stored once") {
  PresenceDb pg;
  // What a text[] literal would otherwise read as syntax or as NULL.
  const std::vector<std::string> rooms = {
      "a,b", "{x}", "NULL", "", " spaced ", "quote\"d", "back\\slash", "é 部屋", "'; --"};
  std::vector<PresenceEntry> published;
  for (std::size_t i = 0; i < rooms.size(); ++i)
    published.push_back({"", rooms[i], static_cast<std::int64_t>(i)});
  published.push_back({"", "a,b", 0});  // two connections of user 0 in "a,b"
  pg.presence.publish("s\"1", published, kT0);
  const std::vector<PresenceEntry> live = pg.presence.live(0);
  REQUIRE(live.size() == rooms.size());
  std::vector<std::string> got;
  for (const PresenceEntry& e : live) {
    CHECK(e.server_id == "s\"1");
    CHECK(rooms[static_cast<std::size_t>(e.user_id)] == e.room);
    got.push_back(e.room);
  }
  CHECK(std::is_sorted(got.begin(), got.end()));  // byte order
}

TEST_CASE("postgres: presence of 2000 entries in one publish") {
  PresenceDb pg;
  std::vector<PresenceEntry> many;
  for (int i = 0; i < 2000; ++i)
    many.push_back({"", "room:" + std::to_string(i % 40), 1000 + i});
  pg.presence.publish("s1", many, kT0);
  pg.presence.publish("s2", entries({{"room:0", 1}}), kT0);
  std::vector<PresenceEntry> live = pg.presence.live(0);
  REQUIRE(live.size() == 2001);
  CHECK(live.front().room == "room:0");
  CHECK(live.front().user_id == 1);
  CHECK(live.front().server_id == "s2");
  CHECK(live[1].user_id == 1000);
  // "room:9" sorts last (after "room:39"); its last user is i = 1969.
  CHECK(live.back().room == "room:9");
  CHECK(live.back().user_id == 1000 + 1969);
  // Replaced by a smaller set at once.
  many.resize(10);
  pg.presence.publish("s1", many, kT0 + 1);
  CHECK(pg.presence.live(kT0).size() == 10);
}

TEST_CASE("postgres: presence of two stores on one database is shared") {
  PresenceDb pg;
  const auto other = open_test_postgres_store(pg.db, 1);
  other->shared_presence()->publish("s2", entries({{"r", 2}}), kT0);
  pg.presence.publish("s1", entries({{"r", 1}}), kT0);
  CHECK(seen(*other->shared_presence(), kT0 - 1) == "r/1@s1 r/2@s2");
  CHECK(seen(pg.presence, kT0 - 1) == "r/1@s1 r/2@s2");
}

TEST_CASE("postgres: presence of servers silent for an hour is deleted by a publish") {
  PresenceDb pg;
  pg.presence.publish("crashed", entries({{"r", 1}}), kT0);
  // Within the hour it stays (live(0) shows every row still stored).
  pg.presence.publish("running", entries({{"r", 2}}), kT0 + kHour);
  CHECK(seen(pg.presence, 0) == "r/1@crashed r/2@running");
  pg.presence.publish("running", entries({{"r", 2}}), kT0 + kHour + 1);
  CHECK(seen(pg.presence, 0) == "r/2@running");
  // The publisher never forgets itself, whatever its clock did.
  pg.presence.publish("running", entries({{"r", 2}}), kT0);
  CHECK(seen(pg.presence, 0) == "r/2@running");
}

TEST_CASE("postgres: presence publish that fails changes nothing") {
  PresenceDb pg;
  pg.presence.publish("s1", entries({{"r", 1}}), kT0);
  // Not UTF-8: refused by the server at the insert, after the heartbeat
  // and the delete ran.
  const Error e =
      catch_error([&] { pg.presence.publish("s1", entries({{"bad\xff", 2}}), kT0 + 10); });
  CHECK(e.code() == ErrorCode::kInternalError);
  CHECK(std::string(e.what()) == "Database error.");
  CHECK(seen(pg.presence, kT0 - 1) == "r/1@s1");
  CHECK(seen(pg.presence, kT0) == "");  // the heartbeat was not moved either
  // The connection went back to the pool usable.
  pg.presence.publish("s1", entries({{"r", 3}}), kT0 + 20);
  CHECK(seen(pg.presence, kT0) == "r/3@s1");
}

TEST_CASE("postgres: presence with the database unreachable fails as unavailable, then recovers") {
  PresenceDb pg;
  pg.presence.publish("s1", entries({{"r", 1}}), kT0);
  const std::string allow = "UPDATE pg_database SET datallowconn = %s WHERE datname = '" +
                            pg.db->name() + "'";
  const auto set_allowed = [&](const char* value) {
    std::string sql = allow;
    sql.replace(sql.find("%s"), 2, value);
    pg.db->exec_on_cluster(sql);
  };
  set_allowed("false");
  pg.db->exec_on_cluster(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
      pg.db->name() + "'");
  const auto unavailable = [](auto fn) {
    const Error e = catch_error(fn);
    CHECK(e.code() == ErrorCode::kServiceUnavailable);
    CHECK(std::string(e.what()) == "Database unavailable.");
  };
  unavailable([&] { pg.presence.publish("s1", entries({{"r", 2}}), kT0 + 1); });
  unavailable([&] { (void)pg.presence.live(0); });
  unavailable([&] { pg.presence.withdraw("s1"); });
  set_allowed("true");
  CHECK(seen(pg.presence, 0) == "r/1@s1");
  pg.presence.publish("s1", entries({{"r", 2}}), kT0 + 2);
  CHECK(seen(pg.presence, kT0) == "r/2@s1");
}

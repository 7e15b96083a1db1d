// Realtime presence: who is in a room, on this server and (through a
// shared PresenceStore) on the others; joins and leaves announced once.
#include <doctest/doctest.h>

#include "core/realtime_support.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

using Ids = std::vector<std::int64_t>;

// (type, user, room) of the presence events taken.
std::vector<std::tuple<RealtimeEventType, std::int64_t, std::string>> presence_events(
    RealtimeSubscriber& sub) {
  std::vector<std::tuple<RealtimeEventType, std::int64_t, std::string>> out;
  for (const RealtimeEvent& e : sub.take()) {
    if (e.type != RealtimeEventType::kUserJoined && e.type != RealtimeEventType::kUserLeft)
      continue;
    CHECK(e.sequence == 0);
    out.emplace_back(e.type, e.user_id, e.room);
  }
  return out;
}

constexpr auto kJoined = RealtimeEventType::kUserJoined;
constexpr auto kLeft = RealtimeEventType::kUserLeft;

// Two servers sharing one database and one presence table.
struct TwoServers {
  TwoServers() {
    RealtimeOptions a_options;
    a_options.server_id = "server-a";
    a_options.presence_ttl = std::chrono::milliseconds(10000);
    RealtimeOptions b_options = a_options;
    b_options.server_id = "server-b";
    a = make_core(std::make_shared<PresenceSharingStore>(stores.open("shared.db"), presence),
                  clock, a_options, a_scheduler, logger);
    b = make_core(std::make_shared<PresenceSharingStore>(stores.open("shared.db"), presence),
                  clock, b_options, b_scheduler, logger);
  }
  TestStores stores;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<FakePresenceStore> presence = std::make_shared<FakePresenceStore>();
  std::shared_ptr<ManualScheduler> a_scheduler = std::make_shared<ManualScheduler>();
  std::shared_ptr<ManualScheduler> b_scheduler = std::make_shared<ManualScheduler>();
  std::shared_ptr<RecordingLogger> logger = std::make_shared<RecordingLogger>();
  std::unique_ptr<Core> a;
  std::unique_ptr<Core> b;
};

}  // namespace

TEST_CASE_FIXTURE(CoreFixture, "realtime presence: joins and leaves on one server") {
  RealtimeHub& hub = core->realtime();
  const Principal ann = make_user("ann", Role::kMember);
  const Principal ben = make_user("ben", Role::kMember);

  auto ann_sub = hub.connect(ann);
  CHECK(presence_events(*ann_sub) ==
        decltype(presence_events(*ann_sub)){{kJoined, ann.user_id, "user_" + std::to_string(ann.user_id)}});
  hub.join(*ann_sub, "tasks");
  CHECK(presence_events(*ann_sub) ==
        decltype(presence_events(*ann_sub)){{kJoined, ann.user_id, "tasks"}});
  CHECK(hub.presence(ann, "tasks") == Ids{ann.user_id});

  auto ben_1 = hub.connect(ben);
  hub.join(*ben_1, "tasks");
  CHECK(presence_events(*ann_sub) ==
        decltype(presence_events(*ann_sub)){{kJoined, ben.user_id, "tasks"}});
  // Ben's second connection: he is already there, nobody is told.
  auto ben_2 = hub.connect(ben);
  hub.join(*ben_2, "tasks");
  CHECK(presence_events(*ann_sub).empty());
  CHECK(hub.presence(ann, "tasks") == Ids{std::min(ann.user_id, ben.user_id),
                                           std::max(ann.user_id, ben.user_id)});
  CHECK(hub.presence(ann, "project_none").empty());

  hub.leave(*ben_1, "tasks");
  CHECK(presence_events(*ann_sub).empty());
  hub.leave(*ben_1, "tasks");  // not in it any more: nothing
  hub.disconnect(*ben_2);
  CHECK(presence_events(*ann_sub) ==
        decltype(presence_events(*ann_sub)){{kLeft, ben.user_id, "tasks"}});
  CHECK(hub.presence(ann, "tasks") == Ids{ann.user_id});

  const RealtimeStats stats = hub.stats();
  CHECK(stats.subscribers == 2);  // ann and ben_1 (still in its own room)
  CHECK(stats.rooms == 3);        // user_ann, user_ben, tasks
}

TEST_CASE("realtime presence: two servers see each other's users; a crashed one's leave") {
  TwoServers s;
  const Principal ann{11, Role::kMember, ""};
  const Principal ben{12, Role::kMember, ""};
  RealtimeHub& a = s.a->realtime();
  RealtimeHub& b = s.b->realtime();

  auto ann_on_a = a.connect(ann);
  a.join(*ann_on_a, "tasks");
  auto ben_on_b = b.connect(ben);
  b.join(*ben_on_b, "tasks");
  presence_events(*ann_on_a);
  presence_events(*ben_on_b);
  CHECK(a.presence(ann, "tasks") == Ids{11});

  s.a_scheduler->run_all();  // A publishes; B has published nothing yet
  s.b_scheduler->run_all();  // B publishes and sees Ann
  CHECK(presence_events(*ben_on_b) ==
        decltype(presence_events(*ben_on_b)){{kJoined, 11, "tasks"}});
  CHECK(b.presence(ben, "tasks") == Ids{11, 12});
  s.a_scheduler->run_all();
  CHECK(presence_events(*ann_on_a) ==
        decltype(presence_events(*ann_on_a)){{kJoined, 12, "tasks"}});
  CHECK(a.presence(ann, "tasks") == Ids{11, 12});
  CHECK(s.presence->entries_of("server-a") == 2);  // user_11 and tasks

  // Ann also on B: already present (through A), so no second user_joined.
  auto ann_on_b = b.connect(ann);
  b.join(*ann_on_b, "tasks");
  CHECK(presence_events(*ben_on_b).empty());
  b.disconnect(*ann_on_b);  // still on A: not gone
  CHECK(presence_events(*ben_on_b).empty());

  // A crashes: it publishes no more. Within the ttl Ann stays...
  s.clock->advance_ms(9000);
  s.b_scheduler->run_all();
  CHECK(b.presence(ben, "tasks") == Ids{11, 12});
  CHECK(presence_events(*ben_on_b).empty());
  // ... past it she leaves B's rooms.
  s.clock->advance_ms(2000);
  s.b_scheduler->run_all();
  CHECK(presence_events(*ben_on_b) ==
        decltype(presence_events(*ben_on_b)){{kLeft, 11, "tasks"}});
  CHECK(b.presence(ben, "tasks") == Ids{12});
  CHECK(s.logger->snapshot().empty());

  // A clean shutdown withdraws the server's entries.
  CHECK(s.presence->entries_of("server-b") == 2);
  s.b.reset();
  CHECK(s.presence->entries_of("server-b") == 0);
}

TEST_CASE("realtime presence: a failing presence store is logged, never thrown") {
  TwoServers s;
  const Principal ann{11, Role::kMember, ""};
  auto sub = s.a->realtime().connect(ann);
  s.a->realtime().join(*sub, "tasks");
  s.a_scheduler->run_all();
  s.b_scheduler->run_all();
  CHECK(s.b->realtime().presence(ann, "tasks") == Ids{11});

  s.presence->failing = true;
  CHECK_NOTHROW(s.b_scheduler->run_all());
  CHECK_NOTHROW(s.a_scheduler->run_all());
  const std::vector<std::string> warnings = s.logger->snapshot();
  REQUIRE(warnings.size() >= 2);
  CHECK(warnings[0].find("presence") != std::string::npos);
  // The last view stays while the store cannot be read.
  CHECK(s.b->realtime().presence(ann, "tasks") == Ids{11});
  // Publishing (a join, a task event) never depends on the store.
  auto sub_b = s.b->realtime().connect(ann);
  CHECK_NOTHROW(s.b->realtime().join(*sub_b, "tasks"));
  // Withdrawing at shutdown fails too, logged.
  const std::size_t before = s.logger->snapshot().size();
  CHECK_NOTHROW(s.a.reset());
  CHECK(s.logger->snapshot().size() == before + 1);
}

// PostgreSQL stopped and started again under a small load. Requests in
// flight or arriving meanwhile fail cleanly (503 service_unavailable,
// within a bounded time, never a 500 or a hang), health reports the
// database check failing, service resumes by itself once the database is
// back (pooled connections and the listener reconnect), and nothing is
// half-written: every acknowledged task exists, and every stored task has
// its event.
//
// Needs TASKCORE_TEST_PG_CTL (scripts/with-postgres.sh); ctest runs it
// alone (RUN_SERIAL), since it stops the cluster every other test uses.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "server/test_server.h"
#include "support/postgres_test_db.h"

namespace taskcore::server::testing {
namespace {

using Clock = std::chrono::steady_clock;
using taskcore::testing::ManualClock;
using taskcore::testing::TestDatabase;

void control_cluster(const std::string& action) {
  const char* ctl = std::getenv("TASKCORE_TEST_PG_CTL");
  REQUIRE_MESSAGE(ctl != nullptr, "TASKCORE_TEST_PG_CTL is not set (use scripts/with-postgres.sh)");
  const std::string command = std::string(ctl) + " " + action;
  REQUIRE(std::system(command.c_str()) == 0);
}

// Waits (bounded) until `ready` holds.
template <class Ready>
bool eventually(Ready ready, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ready();
}

struct Outcomes {
  std::mutex mutex;
  std::set<std::int64_t> acknowledged;  // ids answered with 201
  std::map<int, int> statuses;          // status -> count
  double slowest_s = 0;
};

}  // namespace

TEST_CASE("fault: PostgreSQL restarted under load") {
  auto db = std::make_shared<TestDatabase>();
  auto clock = std::make_shared<ManualClock>();
  const auto options = [&] {
    TestServerOptions o;
    o.store = taskcore::testing::open_test_postgres_store(db);
    o.clock = clock;
    return o;
  };
  TestServer a(options());
  TestServer b(options());  // receives a's events through NOTIFY
  const Account member = a.make_user("loader", Role::kMember);

  std::atomic<bool> stop{false};
  Outcomes outcomes;
  std::vector<std::thread> load;
  for (int t = 0; t < 3; ++t) {
    load.emplace_back([&, t] {
      for (int i = 0; !stop && i < 100000; ++i) {
        const auto started = Clock::now();
        Reply reply = t == 2 ? a.get("/api/tasks/?page_size=5", member.token)
                             : a.post("/api/tasks/", {{"title", "load " + std::to_string(i)}},
                                      member.token);
        const double took =
            std::chrono::duration<double>(Clock::now() - started).count();
        std::lock_guard lock(outcomes.mutex);
        outcomes.statuses[reply.status]++;
        outcomes.slowest_s = std::max(outcomes.slowest_s, took);
        if (reply.status == 201) outcomes.acknowledged.insert(reply.json()["id"].get<std::int64_t>());
        if (reply.status == 503) CHECK(reply.error_code() == "service_unavailable");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  control_cluster("stop");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const Reply health_down = a.get("/api/health/");
  CHECK(health_down.status == 503);
  CHECK(health_down.json()["checks"]["database"] == "error");
  const auto down_started = Clock::now();
  const Reply during = a.post("/api/tasks/", {{"title", "while down"}}, member.token);
  CHECK(during.status == 503);
  CHECK(during.error_code() == "service_unavailable");
  CHECK(std::chrono::duration<double>(Clock::now() - down_started).count() < 5.0);

  control_cluster("start");
  // Service resumes by itself.
  CHECK(eventually([&] { return a.get("/api/health/").status == 200; }, std::chrono::seconds(20)));
  CHECK(eventually(
      [&] { return a.get("/api/tasks/?page_size=1", member.token).status == 200; },
      std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stop = true;
  for (auto& thread : load) thread.join();

  {
    std::lock_guard lock(outcomes.mutex);
    MESSAGE("statuses: 200=" << outcomes.statuses[200] << " 201=" << outcomes.statuses[201]
                             << " 503=" << outcomes.statuses[503]
                             << " slowest=" << outcomes.slowest_s << "s");
    CHECK(outcomes.statuses[503] > 0);
    CHECK(outcomes.statuses[201] > 0);
    // Only successes and clean unavailability: no 500, no dropped request.
    for (const auto& [status, count] : outcomes.statuses) {
      CAPTURE(status);
      CHECK((status == 200 || status == 201 || status == 503));
    }
    // Bounded: the connect and statement timeouts, never a hang.
    CHECK(outcomes.slowest_s < 15.0);
  }

  // Nothing half-written: each acknowledged task exists, and the tasks
  // and their creation events match one for one.
  const Principal reader{member.id, Role::kMember, ""};
  const Page<Task> all = a.core().tasks().list(reader, {}, {1, 100});
  std::int64_t stored = all.count;
  for (std::int64_t id : outcomes.acknowledged) {
    CAPTURE(id);
    CHECK_NOTHROW(a.core().tasks().get(reader, id));
  }
  CHECK(stored >= static_cast<std::int64_t>(outcomes.acknowledged.size()));
  const std::vector<TaskEvent> events = a.core().event_log().read_after(0, 100000);
  CHECK(static_cast<std::int64_t>(events.size()) == stored);

  // The listener of b reconnected: a commit through a reaches b's bus.
  std::atomic<std::int64_t> seen_on_b{0};
  Subscription on_b = b.core().events().subscribe([&](std::span<const TaskEvent> batch) {
    for (const TaskEvent& event : batch) seen_on_b = event.task_id;
  });
  const std::int64_t after = a.create_task(member.token, {{"title", "after restart"}});
  CHECK(eventually([&] { return seen_on_b.load() == after; }, std::chrono::seconds(10)));
}

}  // namespace taskcore::server::testing

// Two servers on one PostgreSQL database, as behind a load balancer: each
// has its own Core, pool, listener and HTTP port, and they share only the
// database. A token from one works on the other, logout on one rejects
// the token on the other at once, rate limits count across both, and an
// event committed through one reaches the other's bus.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/test_server.h"
#include "support/postgres_test_db.h"

namespace taskcore::server::testing {
namespace {

using taskcore::testing::ManualClock;
using taskcore::testing::TestDatabase;

const Json kBadRefresh = {{"refresh", "not-a-token"}};

struct TwoServers {
  std::shared_ptr<TestDatabase> db = std::make_shared<TestDatabase>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::unique_ptr<TestServer> a, b;

  explicit TwoServers(const std::function<void(Options&)>& configure_core = {}) {
    a = std::make_unique<TestServer>(options(configure_core));
    b = std::make_unique<TestServer>(options(configure_core));
  }
  TestServerOptions options(const std::function<void(Options&)>& configure_core) {
    TestServerOptions o;
    o.store = taskcore::testing::open_test_postgres_store(db);
    o.clock = clock;
    o.configure_core = [configure_core](Options& core) {
      // Servers draw their own random session ids and tokens; the fixture's
      // counting random would repeat the other server's.
      core.random = std::make_shared<SecureRandom>();
      if (configure_core) configure_core(core);
    };
    return o;
  }
};

// Collects what a Core's bus publishes (from the listener's thread).
class BusRecorder {
 public:
  explicit BusRecorder(Core& core)
      : subscription_(core.events().subscribe([this](std::span<const TaskEvent> batch) {
          std::lock_guard lock(mutex_);
          events_.insert(events_.end(), batch.begin(), batch.end());
          changed_.notify_all();
        })) {}

  // Waits (bounded) until `count` events arrived; returns them.
  std::vector<TaskEvent> wait_for(std::size_t count,
                                  std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, limit, [&] { return events_.size() >= count; });
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<TaskEvent> events_;
  Subscription subscription_;
};

}  // namespace

TEST_CASE("multi-server: a login on one server works on the other; logout ends it on both") {
  TwoServers servers;
  const Account alice = servers.a->make_user("alice", Role::kMember);
  // The token A signed is accepted by B (the signing key is shared).
  Reply me = servers.b->get("/api/auth/me/", alice.token);
  REQUIRE(me.status == 200);
  CHECK(me.json()["username"] == "alice");

  const Reply login = servers.b->post("/api/auth/login/",
                                      {{"username", "alice"}, {"password", "password123"}});
  REQUIRE(login.status == 200);
  const std::string access = login.json()["access"];
  const std::string refresh = login.json()["refresh"];
  CHECK(servers.a->get("/api/auth/me/", access).status == 200);

  // Logout through A: B rejects the session's access token at once.
  CHECK(servers.a->request("POST", "/api/auth/logout/", access, {{"refresh", refresh}}).status ==
        204);
  const Reply after = servers.b->get("/api/auth/me/", access);
  CHECK(after.status == 401);
  CHECK(after.error_code() == "authentication_failed");
  // The other session (alice.token) is untouched.
  CHECK(servers.b->get("/api/auth/me/", alice.token).status == 200);
}

TEST_CASE("multi-server: refresh reuse is detected across servers") {
  TwoServers servers;
  servers.a->make_user("bob", Role::kMember);
  const Reply login = servers.a->post("/api/auth/login/",
                                      {{"username", "bob"}, {"password", "password123"}});
  REQUIRE(login.status == 200);
  const std::string first = login.json()["refresh"];

  const Reply rotated = servers.b->post("/api/auth/refresh/", {{"refresh", first}});
  REQUIRE(rotated.status == 200);
  const std::string second = rotated.json()["refresh"];
  const std::string access = rotated.json()["access"];
  CHECK(servers.a->get("/api/auth/me/", access).status == 200);

  // The used token presented again, to the other server: 401, and the
  // whole session is revoked everywhere.
  CHECK(servers.a->post("/api/auth/refresh/", {{"refresh", first}}).status == 401);
  CHECK(servers.b->post("/api/auth/refresh/", {{"refresh", second}}).status == 401);
  CHECK(servers.b->get("/api/auth/me/", access).status == 401);
}

TEST_CASE("multi-server: a password reset token from one server works once on either") {
  TwoServers servers;
  const Account admin = servers.a->make_user("root", Role::kAdmin);
  const Account carol = servers.a->make_user("carol", Role::kMember);
  const Reply reset = servers.a->request(
      "POST", "/api/admin/users/" + std::to_string(carol.id) + "/reset-password/", admin.token);
  REQUIRE(reset.status == 200);
  const std::string token = reset.json()["reset_token"];
  // The reset revoked carol's sessions on both servers.
  CHECK(servers.b->get("/api/auth/me/", carol.token).status == 401);
  const Json body = {{"token", token}, {"new_password", "another-secret"}};
  CHECK(servers.b->post("/api/auth/password/reset/confirm/", body).status == 204);
  const Reply twice = servers.a->post("/api/auth/password/reset/confirm/", body);
  CHECK(twice.status == 400);
  CHECK(twice.json()["error"]["field_errors"]["token"][0] == "Invalid or expired token.");
  CHECK(servers.a->post("/api/auth/login/",
                        {{"username", "carol"}, {"password", "another-secret"}})
            .status == 200);
}

TEST_CASE("multi-server: rate limits count requests on both servers") {
  TwoServers servers([](Options& options) {
    options.rate_limits.anonymous_per_ip = {6, 60'000};
  });
  // Six anonymous requests in all, alternating servers, pass; the seventh
  // is refused by whichever server gets it.
  for (int i = 0; i < 6; ++i) {
    TestServer& server = i % 2 == 0 ? *servers.a : *servers.b;
    CAPTURE(i);
    // Counted, then refused for the bad token.
    CHECK(server.post("/api/auth/refresh/", kBadRefresh).status == 401);
  }
  for (TestServer* server : {servers.a.get(), servers.b.get()}) {
    const Reply refused = server->post("/api/auth/refresh/", kBadRefresh);
    CHECK(refused.status == 429);
    CHECK(refused.error_code() == "throttled");
    CHECK(std::stoi(refused.header("Retry-After")) >= 1);
  }
  // A period later both let requests through again.
  servers.clock->advance_s(61);
  CHECK(servers.b->post("/api/auth/refresh/", kBadRefresh).status == 401);
}

TEST_CASE("multi-server: events committed through one server reach the other's bus in order") {
  TwoServers servers;
  const Account member = servers.a->make_user("dave", Role::kMember);
  BusRecorder on_b(servers.b->core());

  const std::int64_t first = servers.a->create_task(member.token, {{"title", "one"}});
  const std::int64_t second = servers.a->create_task(member.token, {{"title", "two"}});
  CHECK(servers.a->request("PATCH", "/api/tasks/" + std::to_string(first) + "/", member.token,
                           {{"status", "done"}})
            .status == 200);
  // Committed through B itself: B's own bus gets it once, in order.
  const std::int64_t third = servers.b->create_task(member.token, {{"title", "three"}});

  const std::vector<TaskEvent> events = on_b.wait_for(4);
  REQUIRE(events.size() == 4);
  CHECK(events[0].type == TaskEventType::kCreated);
  CHECK(events[0].task_id == first);
  CHECK(events[1].task_id == second);
  CHECK(events[2].type == TaskEventType::kUpdated);
  CHECK(events[2].task().status == TaskStatus::kDone);
  CHECK(events[3].task_id == third);
  for (std::size_t i = 1; i < events.size(); ++i)
    CHECK(events[i].sequence == events[i - 1].sequence + 1);
  // Nothing twice.
  CHECK(on_b.wait_for(5, std::chrono::milliseconds(300)).size() == 4);
}

TEST_CASE("multi-server: concurrent creates on both servers number events without gaps") {
  TwoServers servers;
  const Account member = servers.a->make_user("erin", Role::kMember);
  BusRecorder on_a(servers.a->core());
  BusRecorder on_b(servers.b->core());
  constexpr int kPerThread = 15;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      TestServer& server = t % 2 == 0 ? *servers.a : *servers.b;
      for (int i = 0; i < kPerThread; ++i)
        server.create_task(member.token, {{"title", "t" + std::to_string(t)}});
    });
  }
  for (auto& thread : threads) thread.join();
  for (BusRecorder* recorder : {&on_a, &on_b}) {
    const std::vector<TaskEvent> events = recorder->wait_for(4 * kPerThread);
    REQUIRE(events.size() == 4 * kPerThread);
    for (std::size_t i = 1; i < events.size(); ++i)
      CHECK(events[i].sequence == events[i - 1].sequence + 1);
  }
}

TEST_CASE("multi-server: posts of one title created at once on both servers get distinct slugs") {
  TwoServers servers;
  const Account member = servers.a->make_user("erin", Role::kMember);
  constexpr int kPerThread = 8;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<std::string> slugs;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      TestServer& server = t % 2 == 0 ? *servers.a : *servers.b;
      for (int i = 0; i < kPerThread; ++i) {
        const Reply reply = server.post("/api/blog/posts/", {{"title", "Same Title"}}, member.token);
        std::lock_guard lock(mutex);
        CHECK(reply.status == 201);
        if (reply.status == 201) slugs.push_back(reply.json()["slug"]);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::sort(slugs.begin(), slugs.end());
  CHECK(slugs.size() == 4 * kPerThread);
  CHECK(std::adjacent_find(slugs.begin(), slugs.end()) == slugs.end());
  CHECK(std::count(slugs.begin(), slugs.end(), "same-title") == 1);
  CHECK(std::count(slugs.begin(), slugs.end(), "same-title-32") == 1);
}

}  // namespace taskcore::server::testing

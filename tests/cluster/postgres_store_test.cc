// What only the PostgreSQL store has: start-up errors, the commit
// listener, the shared rate limiter, retries, and connections that die
// under it (killed with pg_terminate_backend, so the cluster stays up for
// the tests running beside these).

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <chrono>
#include <mutex>
#include <thread>

#include "storage/store_backends.h"
#include "support/postgres_test_db.h"
#include "taskcore/open_store.h"
#include "taskcore/postgres_store.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

using SteadyClock = std::chrono::steady_clock;

template <class Ready>
bool eventually(Ready ready, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = SteadyClock::now() + limit;
  while (SteadyClock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ready();
}

// Ends every session of the test database but the caller's: pooled and
// listening connections alike (what a server restart does to clients).
void kill_connections(const TestDatabase& db) {
  db.exec_on_cluster("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                     db.name() + "'");
}

struct Sequences {
  std::mutex mutex;
  std::vector<std::int64_t> seen;
  void add(std::int64_t n) {
    std::lock_guard lock(mutex);
    seen.push_back(n);
  }
  std::vector<std::int64_t> get() {
    std::lock_guard lock(mutex);
    return seen;
  }
  // The latest number told, 0 before any.
  std::int64_t last() {
    std::lock_guard lock(mutex);
    return seen.empty() ? 0 : seen.back();
  }
};

std::int64_t append_event(Store& store) {
  return store.write([](Transaction& tx) { return tx.outbox().append(1, kT0, "payload"); });
}

}  // namespace

TEST_CASE("postgres: open_store picks the backend from the location") {
  TempDir dir;
  const std::shared_ptr<Store> sqlite = open_store(dir.file("x.db"));
  CHECK(sqlite->commit_listener() == nullptr);
  CHECK(sqlite->shared_rate_limiter() == nullptr);
  auto db = std::make_shared<TestDatabase>();
  const std::shared_ptr<Store> postgres = open_store(db->uri());
  CHECK(postgres->commit_listener() != nullptr);
  CHECK(postgres->shared_rate_limiter() != nullptr);
  CHECK(is_postgres_uri("postgres://h/db"));
  CHECK(is_postgres_uri("postgresql://h/db"));
  CHECK_FALSE(is_postgres_uri("data/postgres.db"));
}

TEST_CASE("postgres: start-up failures are one clear line, quickly") {
  const auto opening = [](const std::string& uri) {
    PostgresOptions options;
    options.uri = uri;
    options.connect_timeout_ms = 1500;
    const auto started = SteadyClock::now();
    const Error e = catch_error([&] { open_postgres_store(options); });
    CHECK(std::chrono::duration<double>(SteadyClock::now() - started).count() < 5.0);
    CHECK(e.code() == ErrorCode::kServiceUnavailable);
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  };
  // Malformed: the URI (which could hold a password) is not repeated.
  std::string message = opening("postgresql://user:s3cret@host:port:x/db%zz");
  CHECK(message.find("Invalid PostgreSQL URI") == 0);
  CHECK(message.find("s3cret") == std::string::npos);
  // Nobody listening.
  message = opening("postgresql://postgres:s3cret@127.0.0.1:1/taskcore");
  CHECK(message.find("Cannot connect to PostgreSQL at 127.0.0.1:1/taskcore") == 0);
  CHECK(message.find("refused") != std::string::npos);
  CHECK(message.find("s3cret") == std::string::npos);
  // A refused login.
  const std::string base = test_postgres_uri();
  const std::string port = base.substr(base.rfind(':') + 1, base.rfind('/') - base.rfind(':') - 1);
  message = opening("postgresql://no_such_role@127.0.0.1:" + port + "/postgres");
  CHECK(message.find("no_such_role") != std::string::npos);
}

TEST_CASE("postgres: a server that accepts but never answers fails within the timeout") {
  // A listening socket nobody reads: the TCP handshake completes, the
  // startup packet gets no reply.
  TempDir dir;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  PostgresOptions options;
  options.uri = "postgresql://postgres@127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/x";
  options.connect_timeout_ms = 1000;
  const auto started = SteadyClock::now();
  const Error e = catch_error([&] { open_postgres_store(options); });
  const double took = std::chrono::duration<double>(SteadyClock::now() - started).count();
  ::close(fd);
  CHECK(e.code() == ErrorCode::kServiceUnavailable);
  CHECK(std::string(e.what()).find("timeout") != std::string::npos);
  CHECK(took >= 0.9);
  CHECK(took < 4.0);
}

TEST_CASE("postgres: migrations run once; a second store opens the same schema") {
  auto db = std::make_shared<TestDatabase>();
  std::vector<std::thread> openers;
  std::atomic<int> opened{0};
  for (int i = 0; i < 3; ++i)
    openers.emplace_back([&] {
      if (open_test_postgres_store(db, 1)) ++opened;
    });
  for (auto& t : openers) t.join();
  CHECK(opened == 3);
  const auto store = open_test_postgres_store(db, 1);
  CHECK(task_count(*store) == 0);
  CHECK(postgres_schema_version() == 4);  // v2 media, v3 posts, v4 presence
}

TEST_CASE("postgres: the listener reports commits of every store on the database") {
  auto db = std::make_shared<TestDatabase>();
  const auto here = open_test_postgres_store(db);
  const auto there = open_test_postgres_store(db);
  REQUIRE(here->commit_listener() != nullptr);
  Sequences told;
  Subscription subscription =
      here->commit_listener()->subscribe([&](std::int64_t n) { told.add(n); });
  // Once listening, every commit's last number arrives, whoever made it.
  // (Before LISTEN takes effect commits are not notified; the listener's
  // catch-up call after connecting covers them.)
  std::int64_t first = 0;
  REQUIRE(eventually([&] {
    first = append_event(*there);
    return eventually([&] { return told.last() == first; }, std::chrono::milliseconds(200));
  }));
  const std::int64_t second = append_event(*here);
  const std::int64_t third = append_event(*there);
  CHECK(second == first + 1);
  CHECK(third == first + 2);
  REQUIRE(eventually([&] { return told.last() == third; }));
  std::vector<std::int64_t> numbers = told.get();
  std::erase(numbers, std::numeric_limits<std::int64_t>::max());  // "catch up" calls
  CHECK(std::is_sorted(numbers.begin(), numbers.end()));
  subscription.reset();
  const std::size_t before = told.get().size();
  append_event(*there);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(told.get().size() == before);
}

TEST_CASE("postgres: after its connection dies the listener reconnects and says catch up") {
  auto db = std::make_shared<TestDatabase>();
  const auto store = open_test_postgres_store(db);
  Sequences told;
  Subscription subscription =
      store->commit_listener()->subscribe([&](std::int64_t n) { told.add(n); });
  REQUIRE(eventually([&] {
    const std::int64_t n = append_event(*store);
    return eventually([&] { return told.last() == n; }, std::chrono::milliseconds(200));
  }));
  const std::size_t before = told.get().size();
  kill_connections(*db);
  // Reconnected: "catch up on everything" (what was committed meanwhile is
  // in the outbox), then notifications flow again.
  REQUIRE(eventually([&] {
    const auto seen = told.get();
    return seen.size() > before && seen.back() == std::numeric_limits<std::int64_t>::max();
  }));
  const std::int64_t n = append_event(*store);
  CHECK(eventually([&] { return told.last() == n; }));
}

TEST_CASE("postgres: pooled connections killed under a store are replaced") {
  auto db = std::make_shared<TestDatabase>();
  const auto store = open_test_postgres_store(db, 3);
  const User owner = add_user(*store, "owner");
  for (int i = 0; i < 3; ++i) insert_task(*store, new_task("before " + std::to_string(i)));
  kill_connections(*db);
  // The next write finds its connection dead before COMMIT, runs again on
  // a new one, and commits once.
  const Task stored = insert_task(*store, new_task("after"));
  CHECK(find_task(*store, stored.id)->title == "after");
  CHECK(task_count(*store) == 4);
  CHECK(store->read([&](Transaction& tx) { return tx.users().exists(owner.id); }));
  CHECK_NOTHROW(store->check_health());
}

TEST_CASE("postgres: concurrent registrations of one username: one commits, the rest see it") {
  auto db = std::make_shared<TestDatabase>();
  const auto store = open_test_postgres_store(db, 6);
  std::atomic<int> inserted{0}, taken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] {
      store->write([&](Transaction& tx) {
        if (tx.users().taken("same", "same" + std::to_string(i) + "@example.com") !=
            UserUniqueField::kNone) {
          ++taken;
          return;
        }
        NewUserRecord record;
        record.username = "same";
        record.email = "same" + std::to_string(i) + "@example.com";
        record.password_hash = "h";
        tx.users().insert(record);
        ++inserted;  // counted per attempt: a retried attempt counts twice
      });
    });
  for (auto& t : threads) t.join();
  CHECK(store->read([](Transaction& tx) { return tx.users().query({}, {1, 10}).count; }) == 1);
  // Every closure ended by seeing the name taken, except the one that won.
  CHECK(taken >= 5);
  CHECK(inserted >= 1);
}

TEST_CASE("postgres: the shared rate limiter counts across stores like the in-memory one") {
  auto db = std::make_shared<TestDatabase>();
  const auto one = open_test_postgres_store(db);
  const auto two = open_test_postgres_store(db);
  RateLimiter& a = *one->shared_rate_limiter();
  RateLimiter& b = *two->shared_rate_limiter();
  InMemoryRateLimiter reference;
  const RateLimit limit{4, 60'000};  // one per 15 s, bursts of 4
  Timestamp now = kT0;
  for (int i = 0; i < 12; ++i) {
    CAPTURE(i);
    RateLimiter& shared = i % 2 == 0 ? a : b;
    const RateDecision expected = reference.acquire("k", limit, now);
    const RateDecision got = shared.acquire("k", limit, now);
    CHECK(got.allowed == expected.allowed);
    CHECK(got.retry_after_ms == expected.retry_after_ms);
    const RateDecision peeked = shared.peek("k", limit, now);
    const RateDecision expected_peek = reference.peek("k", limit, now);
    CHECK(peeked.allowed == expected_peek.allowed);
    CHECK(peeked.retry_after_ms == expected_peek.retry_after_ms);
    now += 4'000;
  }
  CHECK(a.acquire("other", limit, now).allowed);
  CHECK(a.acquire("k", RateLimit{0, 1000}, now).allowed);  // unlimited
}

TEST_CASE("postgres: concurrent acquires never exceed the limit") {
  auto db = std::make_shared<TestDatabase>();
  const auto one = open_test_postgres_store(db, 4);
  const auto two = open_test_postgres_store(db, 4);
  const RateLimit limit{25, 60'000};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      RateLimiter& limiter = *(t % 2 == 0 ? one : two)->shared_rate_limiter();
      for (int i = 0; i < 10; ++i)
        if (limiter.acquire("hot", limit, kT0).allowed) ++allowed;
    });
  for (auto& t : threads) t.join();
  CHECK(allowed == 25);
}

TEST_CASE("postgres: the database unreachable: calls fail as unavailable, then recover") {
  auto db = std::make_shared<TestDatabase>();
  const auto store = open_test_postgres_store(db, 2);
  insert_task(*store, new_task("kept"));
  // No new connections to this database while we kill the old ones.
  db->exec_on_cluster("UPDATE pg_database SET datallowconn = false WHERE datname = '" + db->name() + "'");
  kill_connections(*db);
  const Error write_error = catch_error([&] { insert_task(*store, new_task("lost")); });
  CHECK(write_error.code() == ErrorCode::kServiceUnavailable);
  CHECK(std::string(write_error.what()) == "Database unavailable.");
  CHECK(catch_error([&] { store->check_health(); }).code() == ErrorCode::kServiceUnavailable);
  CHECK(catch_error([&] { (void)store->shared_rate_limiter()->acquire("k", {1, 1000}, kT0); })
            .code() == ErrorCode::kServiceUnavailable);
  db->exec_on_cluster("UPDATE pg_database SET datallowconn = true WHERE datname = '" + db->name() + "'");
  CHECK_NOTHROW(store->check_health());
  CHECK(task_count(*store) == 1);  // the failed write left nothing
  insert_task(*store, new_task("again"));
  CHECK(task_count(*store) == 2);
}

TEST_CASE("postgres: cached counts follow commits of another store at once") {
  auto db = std::make_shared<TestDatabase>();
  const auto here = open_test_postgres_store(db);
  const auto there = open_test_postgres_store(db);
  TaskFilter web;
  web.categories = {"web"};
  for (int i = 0; i < 3; ++i) {
    Task t = new_task("t" + std::to_string(i));
    t.category = "web";
    insert_task(*there, t);
    // Asked twice (the second from the cache) after each remote commit.
    CHECK(query_tasks(*here, web, {1, 5}).count == i + 1);
    CHECK(query_tasks(*here, web, {1, 5}).count == i + 1);
    CHECK(query_tasks(*here, {}, {1, 5}).count == i + 1);
  }
  // Inside a write transaction its own uncommitted rows count.
  here->write([&](Transaction& tx) {
    Task t = new_task("mine");
    t.category = "web";
    tx.tasks().insert(t);
    CHECK(tx.tasks().query(web, {1, 5}).count == 4);
  });
  CHECK(query_tasks(*there, web, {1, 5}).count == 4);
}

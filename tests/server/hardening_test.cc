// The issue's denial-of-service probes against the real server, scaled to
// seconds: idle, busy and slow clients must not hold the threads that
// serve requests, oversize bodies are refused before they are read, and a
// login flood's memory stays bounded.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "raw_client.h"
#include "test_server.h"
#include "transport/http_server.h"

namespace taskcore::server::testing {
namespace {

const std::string kHealth = "GET /api/health/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// Few threads, short deadlines: what the old fixed pool of 64 threads
// could be starved with, this must survive.
TestServerOptions small_server() {
  TestServerOptions options;
  options.threads = 2;
  options.configure = [](ServerConfig& config) {
    config.connections.max_threads = 8;
    config.connections.keep_alive_timeout = 30s;  // idle sockets stay for the test
    config.connections.header_timeout = 1500ms;
  };
  return options;
}

// A new client's health check, as a monitor would send it.
std::chrono::milliseconds health_latency(int port) {
  const auto started = std::chrono::steady_clock::now();
  const RawResponse response = raw_exchange(port, kHealth);
  CHECK(response.status == 200);
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
}

}  // namespace

TEST_CASE("300 idle keep-alive sockets hold no worker thread") {
  TestServer server(small_server());
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 300; ++i) {
    auto connection = std::make_unique<RawConnection>(server.port());
    REQUIRE(connection->send(kHealth));
    REQUIRE(connection->read_response().status == 200);
    idle.push_back(std::move(connection));
  }
  CHECK(health_latency(server.port()) < 500ms);
  const auto stats = server.app().transport().stats();
  CHECK(stats.connections >= 300);
  CHECK(stats.peak_threads <= 8);
  // They are still open and still served.
  REQUIRE(idle.front()->send(kHealth));
  CHECK(idle.front()->read_response().status == 200);
}

TEST_CASE("64 busy keep-alive sockets do not starve new clients") {
  TestServer server(small_server());
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 64; ++i) busy.push_back(std::make_unique<RawConnection>(server.port()));
  std::atomic<bool> stop{false};
  std::atomic<int> served{0};
  // Each socket sends a request every 300 ms (the probe's 4 s, scaled).
  std::thread clients([&] {
    while (!stop) {
      for (auto& connection : busy) {
        if (connection->send(kHealth) && connection->read_response(2000ms).status == 200) ++served;
      }
      std::this_thread::sleep_for(300ms);
    }
  });
  std::this_thread::sleep_for(200ms);
  std::chrono::milliseconds worst{0};
  for (int i = 0; i < 10; ++i) {
    worst = std::max(worst, health_latency(server.port()));
    std::this_thread::sleep_for(100ms);
  }
  stop = true;
  clients.join();
  CHECK(worst < 500ms);
  CHECK(served >= 64);
  CHECK(server.app().transport().stats().peak_threads <= 8);
}

TEST_CASE("a head trickled a byte at a time hits its deadline") {
  TestServer server(small_server());  // whole head within 1.5 s
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 3; ++i) slow.push_back(std::make_unique<RawConnection>(server.port()));
  const std::string head = "GET /api/health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  const auto started = std::chrono::steady_clock::now();
  bool all_closed = false;
  for (std::size_t byte = 0; byte < 40 && !all_closed; ++byte) {
    all_closed = true;
    for (auto& connection : slow)
      all_closed &= !connection->send(std::string(1, head[byte % head.size()]));
    std::this_thread::sleep_for(100ms);
    // Meanwhile everyone else is served.
    if (byte == 5) CHECK(health_latency(server.port()) < 500ms);
  }
  for (auto& connection : slow) CHECK(connection->closed_within(1000ms));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // Closed at the 1.5 s deadline though a byte came every 100 ms.
  CHECK(elapsed >= 1400ms);
  CHECK(elapsed < 3500ms);
  for (auto& connection : slow) CHECK(connection->received().empty());
}

TEST_CASE("an oversize or invalid Content-Length is refused before 100 Continue") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const std::string head = "POST /api/tasks/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                           member.token + "\r\nExpect: 100-continue\r\n";
  for (const auto& [length, status] :
       std::vector<std::pair<std::string, int>>{{"2000000", 413}, {"-1", 400}}) {
    CAPTURE(length);
    RawConnection connection(server.port());
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(connection.send(head + "Content-Length: " + length + "\r\n\r\n"));
    const RawResponse response = connection.read_response(3000ms);
    CHECK(response.status == status);  // the final answer, not 100
    CHECK(std::chrono::steady_clock::now() - started < 1s);
    CHECK(connection.closed_within(3000ms));
  }

  // An acceptable body gets its 100 Continue, then the answer.
  RawConnection connection(server.port());
  const std::string body = R"({"title": "expected"})";
  REQUIRE(connection.send(head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  CHECK(connection.read_response(2000ms).status == 100);
  REQUIRE(connection.send(body));
  CHECK(connection.read_response(2000ms).status == 201);
}

TEST_CASE("a body streamed in a refused transfer coding is never buffered") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  for (const std::string coding : {"identity", "gzip", "identity, chunked", "chunked"}) {
    CAPTURE(coding);
    RawConnection connection(server.port());
    REQUIRE(connection.send("POST /api/tasks/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                            member.token + "\r\nTransfer-Encoding: " + coding + "\r\n\r\n"));
    const long before = resident_kib();
    // 20 MiB as fast as the server takes it (chunked: one 20 MiB chunk).
    const std::string block(64 * 1024, 'x');
    std::atomic<long> peak{before};
    std::thread sender([&] {
      if (coding == "chunked") connection.send("1400000\r\n");
      for (int i = 0; i < 320; ++i) {
        if (!connection.send(block)) break;
        peak = std::max(peak.load(), resident_kib());
      }
    });
    const RawResponse response = connection.read_response(5000ms);
    sender.join();
    CHECK(response.status == (coding == "identity, chunked" ? 501
                              : coding == "chunked"         ? 413
                                                            : 400));
    CHECK((peak - before) < 8 * 1024);  // KiB: nothing near 20 MiB was kept
  }

  // The prober that half-closes is answered just the same.
  RawConnection connection(server.port());
  REQUIRE(connection.send("POST /api/tasks/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Transfer-Encoding: identity\r\n\r\nabc"));
  connection.shutdown_write();
  CHECK(connection.read_response(2000ms).status == 400);
}

TEST_CASE("a wrong-password login flood hashes a bounded few at a time") {
  TestServerOptions options;
  options.configure_core = [](Options& core) {
    core.password_cost = PasswordCost{};  // the real 19 MiB argon2id
    core.password_cost.ops = 1;
    core.password_cost.max_concurrent = 2;
  };
  TestServer server(options);
  server.core().users().create_user({"victim", "victim@example.com", "the real one", Role::kMember});

  const long before = resident_kib();
  std::atomic<bool> done{false};
  std::atomic<long> peak{before};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), resident_kib());
      std::this_thread::sleep_for(2ms);
    }
  });
  constexpr int kLogins = 16;
  std::atomic<int> refused{0};
  std::vector<std::thread> flood;
  for (int i = 0; i < kLogins; ++i)
    flood.emplace_back([&] {
      if (server.post("/api/auth/login/", {{"username", "victim"}, {"password", "wrong guess"}})
              .status == 401)
        ++refused;
    });
  for (auto& thread : flood) thread.join();
  done = true;
  sampler.join();
  CHECK(refused == kLogins);
  // Two 19 MiB hashes at a time, not sixteen (304 MiB).
  CHECK((peak - before) < 60 * 1024);
}

TEST_CASE("hashes that wait past the queue timeout are 503") {
  TestServerOptions options;
  options.configure_core = [](Options& core) {
    core.password_cost = PasswordCost{};
    core.password_cost.max_concurrent = 1;
    core.password_cost.queue_timeout = 1ms;
  };
  TestServer server(options);
  std::atomic<int> unavailable{0};
  std::vector<std::thread> flood;
  for (int i = 0; i < 6; ++i)
    flood.emplace_back([&] {
      const Reply reply = server.post("/api/auth/login/", {{"username", "x"}, {"password", "y"}});
      if (reply.status == 503 && reply.error_code() == "service_unavailable") ++unavailable;
    });
  for (auto& thread : flood) thread.join();
  CHECK(unavailable >= 1);
}

TEST_CASE("connections over the per-address cap are answered 503") {
  TestServerOptions options;
  options.configure = [](ServerConfig& config) {
    config.connections.max_connections_per_ip = 4;
    config.trusted_proxies = {"127.0.0.3"};  // proxies are exempt
  };
  TestServer server(options);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    REQUIRE(held.back()->send(kHealth));
    REQUIRE(held.back()->read_response().status == 200);
  }
  {
    RawConnection over(server.port());
    REQUIRE(over.send(kHealth));
    const RawResponse refused = over.read_response();
    CHECK(refused.status == 503);
    CHECK(Json::parse(refused.body)["error"]["code"] == "service_unavailable");
    CHECK(over.closed_within(1000ms));
  }

  // Another address is not affected, nor is a trusted proxy.
  RawConnection other(server.port(), "127.0.0.2");
  REQUIRE(other.send(kHealth));
  CHECK(other.read_response().status == 200);
  std::vector<std::unique_ptr<RawConnection>> proxy;
  for (int i = 0; i < 6; ++i) {
    proxy.push_back(std::make_unique<RawConnection>(server.port(), "127.0.0.3"));
    REQUIRE(proxy.back()->send(kHealth));
    CHECK(proxy.back()->read_response().status == 200);
  }

  // A slot frees up when a connection closes.
  held.pop_back();
  std::this_thread::sleep_for(100ms);
  CHECK(raw_exchange(server.port(), kHealth).status == 200);
}

}  // namespace taskcore::server::testing

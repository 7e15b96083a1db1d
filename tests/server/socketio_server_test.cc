// The Socket.IO endpoint at the packet level: handshake, CONNECT, acks,
// held GETs, pings, and the bad input of the Engine.IO spec. The official
// clients are tested in tests/realtime_clients/.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "realtime/realtime_env.h"
#include "server/test_server.h"

namespace taskcore::server::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TestServerOptions fast_pings() {
  TestServerOptions options;
  options.configure = [](ServerConfig& config) {
    config.realtime.ping_interval = milliseconds(400);
    config.realtime.ping_timeout = milliseconds(400);
    config.realtime.max_payload = 10000;
  };
  return options;
}

// Pings as the server's defaults (25 s): a test that is not about pings
// must not see one, however slow the machine.
TestServerOptions small_payload() {
  TestServerOptions options;
  options.configure = [](ServerConfig& config) { config.realtime.max_payload = 10000; };
  return options;
}

// A bare Engine.IO client on one session.
struct RawSession {
  TestServer& server;
  std::string sid;

  explicit RawSession(TestServer& s) : server(s) {
    const Reply open = server.get("/socket.io/?EIO=4&transport=polling");
    REQUIRE(open.status == 200);
    REQUIRE(open.body.front() == '0');
    sid = Json::parse(open.body.substr(1))["sid"].get<std::string>();
  }
  std::string path() const { return "/socket.io/?EIO=4&transport=polling&sid=" + sid; }
  Reply poll() { return server.get(path()); }
  Reply send(const std::string& payload) {
    return server.raw("POST", path(), payload, "", {}, "text/plain;charset=UTF-8");
  }
  // CONNECT and its reply.
  std::string connect(const std::string& token) {
    REQUIRE(send("40" + Json{{"token", token}}.dump()).body == "ok");
    return poll().body;
  }
};

TEST_CASE("handshake answers the Engine.IO open packet") {
  TestServer server(fast_pings());
  const Reply open = server.get("/socket.io/?EIO=4&transport=polling");
  REQUIRE(open.status == 200);
  REQUIRE(open.body.front() == '0');
  const Json body = Json::parse(open.body.substr(1));
  CHECK(body["upgrades"] == Json::array());
  CHECK(body["pingInterval"] == 400);
  CHECK(body["pingTimeout"] == 400);
  CHECK(body["maxPayload"] == 10000);
  CHECK(body["sid"].get<std::string>().size() == 32);
}

TEST_CASE("Engine.IO errors: version, transport, unknown sid") {
  TestServer server(small_payload());
  const Reply version = server.get("/socket.io/?EIO=3&transport=polling");
  CHECK(version.status == 400);
  CHECK(version.json() == Json{{"code", 5}, {"message", "Unsupported protocol version"}});
  const Reply transport = server.get("/socket.io/?EIO=4&transport=websocket");
  CHECK(transport.json()["code"] == 0);
  const Reply unknown = server.get("/socket.io/?EIO=4&transport=polling&sid=nope");
  CHECK(unknown.status == 400);
  CHECK(unknown.json()["code"] == 1);
  const Reply post = server.raw("POST", "/socket.io/?EIO=4&transport=polling", "40", "", {},
                                "text/plain");
  CHECK(post.status == 400);
}

TEST_CASE("CONNECT: a good token is accepted, bad and refresh tokens are refused") {
  TestServer server(small_payload());
  const Account member = server.make_user("mia", Role::kMember);
  RawSession good(server);
  const std::string reply = good.connect(member.token);
  REQUIRE(reply.rfind("40{", 0) == 0);
  const Json accepted = Json::parse(reply.substr(2, reply.find('\x1e') - 2));
  CHECK(accepted["sid"].get<std::string>().size() == 20);
  CHECK(accepted["pid"].get<std::string>().size() == 32);

  RawSession bad(server);
  const std::string refused = bad.connect("not-a-token");
  REQUIRE(refused.rfind("44{", 0) == 0);
  CHECK_FALSE(Json::parse(refused.substr(2))["message"].get<std::string>().empty());

  RawSession none(server);
  REQUIRE(none.send("40").body == "ok");
  CHECK(none.poll().body.rfind("44{", 0) == 0);
}

TEST_CASE("acks of join_room, and a held GET woken by an event") {
  // Default pings (25 s): nothing but the event may wake the GET.
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const Account other = server.make_user("olga", Role::kMember);
  RawSession session(server);
  session.connect(member.token);
  REQUIRE(session.send("421[\"join_room\",{\"room\":\"tasks\"}]").body == "ok");
  std::string answer = session.poll().body;
  CHECK(answer.find("431[{\"ok\":true,\"room\":\"tasks\"}]") != std::string::npos);
  session.send("422[\"join_room\",{\"room\":\"user_" + std::to_string(other.id) + "\"}]");
  answer = session.poll().body;
  CHECK(answer.find("432[{\"error\":{\"code\":\"permission_denied\"") != std::string::npos);

  auto held = std::async(std::launch::async, [&] { return session.poll(); });
  std::this_thread::sleep_for(milliseconds(100));
  const auto created_at = steady_clock::now();
  server.create_task(other.token, {{"title", "Wake up"}});
  const Reply woken = held.get();
  // Woken by the commit; the bound leaves room for a loaded sanitizer run.
  CHECK(steady_clock::now() - created_at < milliseconds(1000));
  CHECK(woken.body.find("42[\"task_created\",{\"task\":{") != std::string::npos);
}

TEST_CASE("the server pings, and a client that stops polling is dropped") {
  TestServer server(fast_pings());
  const Account member = server.make_user("mia", Role::kMember);
  RawSession session(server);
  session.connect(member.token);
  // Within one ping interval the held GET answers a ping.
  const auto begun = steady_clock::now();
  std::string answer;
  while (answer != "2" && steady_clock::now() - begun < milliseconds(2000))
    answer = session.poll().body;
  CHECK(answer == "2");
  REQUIRE(session.send("3").body == "ok");
  CHECK(server.core().realtime().presence(Principal{member.id, Role::kMember, "", {}},
                                          "user_" + std::to_string(member.id)) ==
        std::vector<std::int64_t>{member.id});
  // Silence: gone within ping interval + ping timeout (+ the reaper's tick).
  std::this_thread::sleep_for(milliseconds(1200));
  CHECK(session.poll().json()["code"] == 1);
  CHECK(server.core()
            .realtime()
            .presence(Principal{member.id, Role::kMember, "", {}}, "user_" + std::to_string(member.id))
            .empty());
}

TEST_CASE("bad input ends only its own session") {
  TestServer server(small_payload());
  const Account member = server.make_user("mia", Role::kMember);
  RawSession bystander(server);
  bystander.connect(member.token);

  SUBCASE("an event before CONNECT") {
    RawSession s(server);
    CHECK(s.send("42[\"join_room\",{\"room\":\"tasks\"}]").body == "ok");
    CHECK(s.poll().json()["code"] == 1);  // closed and forgotten
  }
  SUBCASE("a malformed packet") {
    RawSession s(server);
    s.connect(member.token);
    CHECK(s.send("42[\"join_room\",{").status == 200);
    CHECK(s.poll().json()["code"] == 1);
  }
  SUBCASE("binary attachments") {
    RawSession s(server);
    s.connect(member.token);
    s.send("451-[\"task_update\",{\"_placeholder\":true,\"num\":0}]");
    CHECK(s.poll().json()["code"] == 1);
    RawSession b64(server);
    CHECK(b64.send("bAQID").status == 400);
  }
  SUBCASE("an oversize POST") {
    RawSession s(server);
    s.connect(member.token);
    CHECK(s.send("4" + std::string(20000, 'x')).status == 413);
    CHECK(s.poll().json()["code"] == 1);
  }
  SUBCASE("a second concurrent GET") {
    RawSession s(server);
    s.connect(member.token);
    auto first = std::async(std::launch::async, [&] { return s.poll(); });
    std::this_thread::sleep_for(milliseconds(100));
    CHECK(s.poll().status == 400);
    CHECK(first.get().body == "1");
  }
  SUBCASE("unknown events are acked not_found") {
    RawSession s(server);
    s.connect(member.token);
    s.send("427[\"launch_rockets\",{}]");
    CHECK(s.poll().body.find("437[{\"error\":{\"code\":\"not_found\"") != std::string::npos);
  }
  SUBCASE("a flood of join and leave") {
    RawSession s(server);
    s.connect(member.token);
    std::string flood;
    for (int i = 0; i < 120; ++i) {
      if (!flood.empty()) flood += '\x1e';
      flood += (i % 2 == 0) ? "42[\"join_room\",{\"room\":\"project_p" + std::to_string(i) + "\"}]"
                            : "42[\"leave_room\",{\"room\":\"project_p" + std::to_string(i - 1) + "\"}]";
    }
    flood += "\x1e" "429[\"join_room\",{\"room\":\"tasks\"}]";
    CHECK(s.send(flood).body == "ok");
    CHECK(s.poll().body.find("439[{\"ok\":true") != std::string::npos);
    CHECK(server.core()
              .realtime()
              .presence(Principal{member.id, Role::kMember, "", {}}, "project_p0")
              .empty());
  }
  // The other session is untouched: it still answers (an ack is queued, so
  // the GET answers at once).
  REQUIRE(bystander.send("421[\"join_room\",{\"room\":\"tasks\"}]").body == "ok");
  const Reply still = bystander.poll();
  CHECK(still.status == 200);
  CHECK(still.body.find("431[{\"ok\":true") != std::string::npos);
}

TEST_CASE("closed sessions are forgotten") {
  TestServer server(small_payload());
  const Account member = server.make_user("mia", Role::kMember);
  realtime::SocketIoServer& socketio = server.app().realtime().socketio();
  {
    RawSession a(server), b(server);
    a.connect(member.token);
    b.connect(member.token);
    CHECK(socketio.stats().sessions == 2);
    CHECK(socketio.stats().sockets == 2);
    a.send("1");
    b.send("41");
    CHECK(socketio.stats().sessions == 1);
    CHECK(socketio.stats().sockets == 0);
    b.send("1");
  }
  CHECK(socketio.stats().sessions == 0);
  CHECK(server.core().realtime().stats().subscribers == 0);
}

}  // namespace
}  // namespace taskcore::server::testing

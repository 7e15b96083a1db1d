// The JSON long-poll, presence and CORS, end to end on a real server.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "server/test_server.h"

namespace taskcore::server::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

std::int64_t cursor_now(TestServer& server, const std::string& token) {
  const Reply reply = server.get("/api/realtime/poll/?rooms=tasks&timeout=0", token);
  REQUIRE(reply.status == 200);
  return reply.json()["cursor"].get<std::int64_t>();
}

TEST_CASE("long-poll answers at once with the events after the cursor") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const std::int64_t start = cursor_now(server, member.token);
  const std::int64_t id = server.create_task(member.token, {{"title", "First"}, {"project", "apollo"}});
  server.request("PATCH", "/api/tasks/" + std::to_string(id) + "/", member.token,
                 {{"status", "done"}});

  const auto begun = steady_clock::now();
  const Reply reply = server.get(
      "/api/realtime/poll/?rooms=tasks&cursor=" + std::to_string(start) + "&timeout=10",
      member.token);
  CHECK(steady_clock::now() - begun < milliseconds(2000));
  REQUIRE(reply.status == 200);
  const Json body = reply.json();
  REQUIRE(body["events"].size() == 2);
  const Json& created = body["events"][0];
  CHECK(created["type"] == "task_created");
  CHECK(created["room"] == "tasks");
  CHECK(created["id"].get<std::int64_t>() == start + 1);
  CHECK(created["data"]["task"]["title"] == "First");
  CHECK(created["data"]["created_by"] == member.id);
  CHECK(created["timestamp"].get<std::string>().back() == 'Z');
  const Json& updated = body["events"][1];
  CHECK(updated["type"] == "task_updated");
  CHECK(updated["data"]["task_id"] == id);
  CHECK(updated["data"]["task"]["status"] == "done");
  CHECK(updated["data"]["updated_by"] == member.id);
  CHECK(body["cursor"].get<std::int64_t>() == start + 2);

  // The next poll from that cursor has nothing and times out empty.
  const Reply empty = server.get("/api/realtime/poll/?rooms=tasks&cursor=" +
                                     std::to_string(start + 2) + "&timeout=0.3",
                                 member.token);
  REQUIRE(empty.status == 200);
  CHECK(empty.json()["events"].empty());
  CHECK(empty.json()["cursor"].get<std::int64_t>() == start + 2);
}

TEST_CASE("a held long-poll is answered as soon as an event arrives") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const std::int64_t start = cursor_now(server, member.token);
  auto held = std::async(std::launch::async, [&] {
    return server.get("/api/realtime/poll/?rooms=project_apollo&cursor=" +
                          std::to_string(start) + "&timeout=20",
                      member.token);
  });
  std::this_thread::sleep_for(milliseconds(200));
  server.create_task(member.token, {{"title", "Elsewhere"}, {"project", "gemini"}});
  const auto created_at = steady_clock::now();
  server.create_task(member.token, {{"title", "Here"}, {"project", "apollo"}});
  const Reply reply = held.get();
  CHECK(steady_clock::now() - created_at < milliseconds(2000));
  REQUIRE(reply.status == 200);
  const Json body = reply.json();
  REQUIRE(body["events"].size() == 1);
  CHECK(body["events"][0]["room"] == "project_apollo");
  CHECK(body["events"][0]["data"]["task"]["title"] == "Here");
}

TEST_CASE("long-poll parameters and room permissions") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const Account other = server.make_user("olga", Role::kMember);
  const Account admin = server.make_user("ada", Role::kAdmin);
  CHECK(server.get("/api/realtime/poll/?cursor=abc", member.token).error_code() ==
        "validation_error");
  CHECK(server.get("/api/realtime/poll/?cursor=-1", member.token).error_code() ==
        "validation_error");
  CHECK(server.get("/api/realtime/poll/?timeout=soon", member.token).error_code() ==
        "validation_error");
  const Reply future = server.get("/api/realtime/poll/?cursor=999999&timeout=0", member.token);
  CHECK(future.error_code() == "validation_error");
  CHECK(future.json()["error"]["field_errors"].contains("cursor"));
  const Reply bad_room = server.get("/api/realtime/poll/?rooms=lobby&timeout=0", member.token);
  CHECK(bad_room.status == 400);
  CHECK(bad_room.json()["error"]["field_errors"].contains("room"));
  const std::string others = "/api/realtime/poll/?timeout=0&rooms=user_" + std::to_string(other.id);
  CHECK(server.get(others, member.token).error_code() == "permission_denied");
  CHECK(server.get(others, admin.token).status == 200);
  CHECK(server.get("/api/realtime/poll/?timeout=0&rooms=user_" + std::to_string(member.id),
                   member.token)
            .status == 200);
  CHECK(server.get("/api/realtime/poll/").error_code() == "not_authenticated");
}

TEST_CASE("the own user room gets assignment notifications") {
  TestServer server;
  const Account boss = server.make_user("boss", Role::kManager);
  const Account member = server.make_user("mia", Role::kMember);
  const std::int64_t start = cursor_now(server, member.token);
  const std::int64_t id = server.create_task(boss.token, {{"title", "Yours"}, {"assigned_to", member.id}});
  const Reply reply = server.get("/api/realtime/poll/?timeout=0&cursor=" + std::to_string(start) +
                                     "&rooms=user_" + std::to_string(member.id),
                                 member.token);
  REQUIRE(reply.status == 200);
  const Json events = reply.json()["events"];
  REQUIRE(events.size() == 2);
  CHECK(events[0]["type"] == "task_created");
  CHECK(events[1]["type"] == "notification");
  CHECK(events[1]["data"]["type"] == "task_assigned");
  CHECK(events[1]["data"]["data"]["task_id"] == id);
  CHECK(events[1]["id"] == events[0]["id"]);
}

TEST_CASE("presence route") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  CHECK(server.get("/api/realtime/presence/", member.token).error_code() == "validation_error");
  const Reply empty = server.get("/api/realtime/presence/?room=tasks", member.token);
  REQUIRE(empty.status == 200);
  CHECK(empty.json() == Json{{"room", "tasks"}, {"users", Json::array()}});
  auto subscriber = server.core().realtime().connect(
      Principal{member.id, Role::kMember, "", {}});
  server.core().realtime().join(*subscriber, "tasks");
  const Reply present = server.get("/api/realtime/presence/?room=tasks", member.token);
  CHECK(present.json()["users"] == Json::array({member.id}));
  server.core().realtime().disconnect(*subscriber);
  CHECK(server.get("/api/realtime/presence/?room=tasks", member.token).json()["users"].empty());
}

TEST_CASE("CORS: listed origins get the headers and their preflights are answered") {
  TestServerOptions options;
  options.configure = [](ServerConfig& config) {
    config.realtime.cors_origins = {"https://app.example.com"};
  };
  TestServer server(options);
  const Reply preflight = server.raw(
      "OPTIONS", "/api/tasks/", "", "",
      {{"Origin", "https://app.example.com"},
       {"Access-Control-Request-Method", "PATCH"},
       {"Access-Control-Request-Headers", "authorization, content-type"}});
  CHECK(preflight.status == 204);
  CHECK(preflight.header("Access-Control-Allow-Origin") == "https://app.example.com");
  CHECK(preflight.header("Access-Control-Allow-Credentials") == "true");
  CHECK(preflight.header("Access-Control-Allow-Methods").find("PATCH") != std::string::npos);
  CHECK(preflight.header("Access-Control-Allow-Headers") == "authorization, content-type");

  const Reply simple = server.raw("GET", "/api/health/", "", "", {{"Origin", "https://app.example.com"}});
  CHECK(simple.header("Access-Control-Allow-Origin") == "https://app.example.com");
  CHECK(simple.header("Vary").find("Origin") != std::string::npos);

  const Reply stranger = server.raw("OPTIONS", "/api/tasks/", "", "",
                                    {{"Origin", "https://evil.example.com"},
                                     {"Access-Control-Request-Method", "GET"}});
  CHECK_FALSE(stranger.has_header("Access-Control-Allow-Origin"));
}

}  // namespace
}  // namespace taskcore::server::testing

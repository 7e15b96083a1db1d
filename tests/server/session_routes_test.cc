// CONTRACT §2 sessions and §5 audit over HTTP: refresh, logout, password
// change and reset, the audit log route, throttling.
#include <doctest/doctest.h>

#include "test_server.h"

namespace taskcore::server::testing {
namespace {

Json login_body(const std::string& user, const std::string& password) {
  return {{"username", user}, {"password", password}};
}

}  // namespace

TEST_CASE("refresh rotates tokens; reusing a rotated one is 401 and ends the session") {
  TestServer server;
  server.make_user("mem", Role::kMember);
  const Json first = server.post("/api/auth/login/", login_body("mem", "password123")).json();
  const Reply refreshed = server.post("/api/auth/refresh", {{"refresh", first["refresh"]}});
  REQUIRE(refreshed.status == 200);
  const Json second = refreshed.json();
  CHECK(second.size() == 4);
  CHECK(second["token_type"] == "Bearer");
  CHECK(second["expires_in"] == 900);
  CHECK(second["refresh"] != first["refresh"]);
  CHECK(server.get("/api/auth/me/", second["access"]).status == 200);

  const Reply reuse = server.post("/api/auth/refresh/", {{"refresh", first["refresh"]}});
  CHECK(reuse.status == 401);
  CHECK(reuse.error_code() == "authentication_failed");
  CHECK(server.get("/api/auth/me/", second["access"]).status == 401);
  CHECK(server.post("/api/auth/refresh/", {{"refresh", second["refresh"]}}).status == 401);

  // An access token is not a refresh token; a missing one is a field error.
  const Json again = server.post("/api/auth/login/", login_body("mem", "password123")).json();
  CHECK(server.post("/api/auth/refresh/", {{"refresh", again["access"]}}).status == 401);
  const Reply missing = server.post("/api/auth/refresh/", Json::object());
  CHECK(missing.status == 400);
  CHECK(missing.json()["error"]["field_errors"]["refresh"][0] == "This field is required.");
  CHECK(server.post("/api/auth/refresh/", {{"refresh", 5}}).status == 400);
}

TEST_CASE("logout is 204 and the access token fails at once") {
  TestServer server;
  server.make_user("mem", Role::kMember);
  const Json tokens = server.post("/api/auth/login/", login_body("mem", "password123")).json();
  const std::string access = tokens["access"];
  CHECK(server.post("/api/auth/logout/", {{"refresh", tokens["refresh"]}}).status == 401);
  const Reply out = server.request("POST", "/api/auth/logout/", access, {{"refresh", tokens["refresh"]}});
  CHECK(out.status == 204);
  CHECK(out.body.empty());
  CHECK(server.get("/api/auth/me/", access).status == 401);
  CHECK(server.post("/api/auth/refresh/", {{"refresh", tokens["refresh"]}}).status == 401);
}

TEST_CASE("password change and admin reset over HTTP") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  const Account mem = server.make_user("mem", Role::kMember);

  const Reply wrong = server.request("POST", "/api/auth/password/change/", mem.token,
                                     {{"old_password", "nope-nope"}, {"new_password", "fresh-pass-1"}});
  CHECK(wrong.status == 400);
  CHECK(wrong.json()["error"]["field_errors"].contains("old_password"));
  const Reply weak = server.request("POST", "/api/auth/password/change/", mem.token,
                                    {{"old_password", "password123"}, {"new_password", "1234"}});
  CHECK(weak.status == 400);
  CHECK(weak.json()["error"]["field_errors"].contains("new_password"));
  CHECK(server.request("POST", "/api/auth/password/change/", mem.token,
                       {{"old_password", "password123"}, {"new_password", "fresh-pass-1"}})
            .status == 204);
  CHECK(server.get("/api/auth/me/", mem.token).status == 200);  // this session stays
  CHECK(server.post("/api/auth/login/", login_body("mem", "password123")).status == 401);
  const std::string relogged = server.login("mem", "fresh-pass-1");

  const Reply reset = server.request(
      "POST", "/api/admin/users/" + std::to_string(mem.id) + "/reset-password/", admin.token);
  REQUIRE(reset.status == 200);
  const Json ticket = reset.json();
  CHECK(ticket.size() == 2);
  CHECK(ticket["reset_token"].get<std::string>().size() == 64);
  CHECK(ticket["expires_at"] == "2025-01-02T00:00:00.000Z");
  CHECK(server.get("/api/auth/me/", relogged).status == 401);
  CHECK(server.post("/api/auth/login/", login_body("mem", "fresh-pass-1")).status == 401);
  CHECK(server.request("POST", "/api/admin/users/424242/reset-password/", admin.token).status ==
        404);

  const Json confirm = {{"token", ticket["reset_token"]}, {"new_password", "after-reset-9"}};
  CHECK(server.post("/api/auth/password/reset/confirm/", confirm).status == 204);
  const Reply twice = server.post("/api/auth/password/reset/confirm/", confirm);
  CHECK(twice.status == 400);
  CHECK(twice.json()["error"]["field_errors"]["token"][0] == "Invalid or expired token.");
  CHECK(server.post("/api/auth/login/", login_body("mem", "after-reset-9")).status == 200);
}

TEST_CASE("audit log route: newest first, filters, append-only") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  const Account mem = server.make_user("mem", Role::kMember);
  CHECK(server.post("/api/auth/login/", login_body("mem", "wrong-password")).status == 401);
  const std::int64_t task = server.create_task(mem.token, {{"title", "audited"}});
  REQUIRE(server.request("DELETE", "/api/tasks/" + std::to_string(task) + "/", mem.token,
                         nullptr, {{"X-Request-ID", "delete-req-1"}})
              .status == 204);

  const Reply all = server.get("/api/admin/audit-log/", admin.token);
  REQUIRE(all.status == 200);
  const Json body = all.json();
  CHECK(body["filters_applied"] == Json::object());
  const Json& newest = body["results"][0];
  CHECK(newest["action"] == "task_delete");
  CHECK(newest["actor_id"] == mem.id);
  CHECK(newest["target_type"] == "task");
  CHECK(newest["target_id"] == task);
  CHECK(newest["details"]["title"] == "audited");
  CHECK(newest["ip"] == "127.0.0.1");
  CHECK(newest["request_id"] == "delete-req-1");
  CHECK(newest["timestamp"] == "2025-01-01T00:00:00.000Z");
  for (const char* key : {"id", "timestamp", "actor_id", "action", "target_type", "target_id",
                          "details", "ip", "request_id"})
    CHECK(newest.contains(key));

  const Json failed =
      server.get("/api/admin/audit-log/?action=login_failed", admin.token).json();
  REQUIRE(failed["count"] == 1);
  CHECK(failed["results"][0]["details"]["username"] == "mem");
  CHECK(failed["results"][0]["actor_id"].is_null());
  CHECK(failed["filters_applied"]["action"] == Json::array({"login_failed"}));
  const Json mine = server.get("/api/admin/audit-log/?actor_id=" + std::to_string(mem.id) +
                                   "&action=login,task_create,task_delete",
                               admin.token)
                        .json();
  CHECK(mine["count"] == 3);
  CHECK(server.get("/api/admin/audit-log/?start=2025-01-02", admin.token).json()["count"] == 0);
  const Reply bad = server.get("/api/admin/audit-log/?start=tomorrow&actor_id=x", admin.token);
  CHECK(bad.status == 400);
  CHECK(bad.json()["error"]["field_errors"].contains("start"));
  CHECK(bad.json()["error"]["field_errors"].contains("actor_id"));

  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    CAPTURE(method);
    const Reply refused = server.request(method, "/api/admin/audit-log/", admin.token, Json::object());
    CHECK(refused.status == 405);
    CHECK(refused.header("Allow") == "GET, HEAD, OPTIONS");
  }
  // No password or token anywhere in the log.
  const std::string text = server.get("/api/admin/audit-log/?page_size=100", admin.token).body;
  CHECK(text.find("password123") == std::string::npos);
  CHECK(text.find("wrong-password") == std::string::npos);
  CHECK(text.find(mem.token) == std::string::npos);
}

TEST_CASE("throttled logins answer 429 with Retry-After and details.retry_after") {
  TestServer server;
  server.make_user("mem", Role::kMember);
  for (int i = 0; i < 10; ++i)
    CHECK(server.post("/api/auth/login/", login_body("mem", "wrong-password")).status == 401);
  const Reply throttled = server.post("/api/auth/login/", login_body("mem", "password123"));
  CHECK(throttled.status == 429);
  CHECK(throttled.error_code() == "throttled");
  CHECK(throttled.header("Retry-After") == "30");
  CHECK(throttled.json()["error"]["details"]["retry_after"] == 30);
  server.clock().advance_s(30);
  CHECK(server.post("/api/auth/login/", login_body("mem", "password123")).status == 200);
}

}  // namespace taskcore::server::testing

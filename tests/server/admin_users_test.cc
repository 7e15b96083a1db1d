// /api/admin/users/: list with filters, detail, PUT, toggle-active.

#include <doctest/doctest.h>

#include "test_server.h"

namespace taskcore::server::testing {
namespace {

std::string user_path(std::int64_t id) {
  return "/api/admin/users/" + std::to_string(id) + "/";
}

std::vector<std::string> usernames(const Json& body) {
  std::vector<std::string> out;
  for (const auto& user : body["results"]) out.push_back(user["username"]);
  return out;
}

}  // namespace

TEST_CASE("admin routes are 403 for every other role and 401 anonymously") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  for (const Role role : {Role::kViewer, Role::kMember, Role::kManager}) {
    const Account caller = server.make_user(std::string(role_name(role)) + "_user", role);
    CAPTURE(role_name(role));
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/admin/users/"},
             {"GET", "/api/admin/users/?page=abc"},
             {"GET", user_path(admin.id)},
             {"PUT", user_path(admin.id)},
             {"PATCH", user_path(admin.id) + "toggle-active/"},
             {"POST", user_path(admin.id) + "reset-password/"},
             {"GET", "/api/admin/audit-log/"},
             {"GET", "/api/admin/audit-log/?action=login"},
             {"DELETE", "/api/admin/audit-log/"},
             {"GET", "/api/admin/users/424242/"}}) {
      CAPTURE(path);
      const Reply reply = server.request(method, path, caller.token,
                                         method == "GET" ? Json(nullptr) : Json::object());
      CHECK(reply.status == 403);
      CHECK(reply.error_code() == "permission_denied");
      const Reply anonymous = server.request(method, path, "",
                                             method == "GET" ? Json(nullptr) : Json::object());
      CHECK(anonymous.status == 401);
      CHECK(anonymous.error_code() == "not_authenticated");
    }
  }
}

TEST_CASE("admin user list filters and filters_applied") {
  TestServer server;
  Account admin = server.make_user("root", Role::kAdmin);
  server.clock().advance_s(86400);  // 2025-01-02
  const User alice = server.core().users().create_user(
      {"alice", "alice@corp.example", "password123", Role::kManager});
  server.clock().advance_s(86400);  // 2025-01-03
  const User bob = server.core().users().create_user(
      {"bob", "bob@example.com", "password123", Role::kViewer});
  // Two idle days ended the first session.
  admin.token = server.login("root", "password123");
  REQUIRE(server.request("PATCH", user_path(bob.id) + "toggle-active/", admin.token).status ==
          200);

  const auto list = [&](const std::string& query) {
    const Reply reply = server.get("/api/admin/users/" + query, admin.token);
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    return reply.json();
  };

  Json body = list("");
  CHECK(body["count"] == 3);
  CHECK(usernames(body) == std::vector<std::string>{"root", "alice", "bob"});
  CHECK(body["next"].is_null());
  CHECK(body["previous"].is_null());
  CHECK(body["filters_applied"] == Json::object());
  CHECK(body["results"][0]["last_login"] == "2025-01-03T00:00:00.000Z");
  CHECK(body["results"][0]["date_joined"] == "2025-01-01T00:00:00.000Z");
  CHECK(body["results"][1]["date_joined"] == "2025-01-02T00:00:00.000Z");

  body = list("?is_active=false");
  CHECK(usernames(body) == std::vector<std::string>{"bob"});
  CHECK(body["filters_applied"] == Json{{"is_active", false}});

  body = list("?role=admin,manager");
  CHECK(usernames(body) == std::vector<std::string>{"root", "alice"});
  CHECK(body["filters_applied"] == Json{{"role", {"admin", "manager"}}});

  body = list("?registration_date_start=2025-01-02&registration_date_end=2025-01-02");
  CHECK(usernames(body) == std::vector<std::string>{"alice"});
  CHECK(body["filters_applied"] ==
        Json{{"date_range", {{"start", "2025-01-02"}, {"end", "2025-01-02"}}}});

  body = list("?registration_date_start=2025-01-03");
  CHECK(usernames(body) == std::vector<std::string>{"bob"});
  CHECK(body["filters_applied"] ==
        Json{{"date_range", {{"start", "2025-01-03"}, {"end", nullptr}}}});

  body = list("?search=corp");
  CHECK(usernames(body) == std::vector<std::string>{"alice"});
  CHECK(body["filters_applied"] == Json{{"search", "corp"}});

  body = list("?search=%25&is_active=true&page_size=1");
  CHECK(body["count"] == 0);

  body = list("?page_size=1&is_active=true");
  CHECK(body["count"] == 2);
  CHECK(body["next"] == "http://" + server.host_port() +
                            "/api/admin/users/?is_active=true&page=2&page_size=1");

  for (const std::string bad : {"is_active=maybe", "role=owner", "registration_date_start=x",
                                "page=0"}) {
    CAPTURE(bad);
    const Reply reply = server.get("/api/admin/users/?" + bad, admin.token);
    CHECK(reply.status == 400);
    CHECK(reply.error_code() == "validation_error");
    CHECK(reply.json()["error"]["field_errors"].contains(bad.substr(0, bad.find('='))));
  }
  CHECK(server.get("/api/admin/users/?page=5", admin.token).status == 404);
}

TEST_CASE("admin user detail, PUT and toggle-active") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  const Account member = server.make_user("mia", Role::kMember);

  Reply reply = server.get(user_path(member.id), admin.token);
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["username"] == "mia");
  CHECK(reply.json().size() == 7);
  CHECK(server.get("/api/admin/users/999/", admin.token).status == 404);

  reply = server.request("PUT", user_path(member.id), admin.token,
                         {{"role", "manager"}, {"username", "ignored"}});
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["role"] == "manager");
  CHECK(reply.json()["username"] == "mia");
  CHECK(reply.json()["email"] == "mia@example.com");

  reply = server.request("PUT", user_path(member.id), admin.token,
                         {{"email", "mia@new.example"}, {"is_active", false}});
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["email"] == "mia@new.example");
  CHECK(reply.json()["is_active"] == false);
  // Deactivated: its token stops working at once.
  CHECK(server.get("/api/auth/me/", member.token).error_code() == "authentication_failed");

  reply = server.request("PUT", user_path(member.id), admin.token,
                         {{"role", "owner"}, {"email", "bad"}});
  CHECK(reply.status == 400);
  CHECK(reply.json()["error"]["field_errors"]["role"][0] == "\"owner\" is not a valid choice.");
  CHECK(reply.json()["error"]["field_errors"].contains("email"));

  reply = server.request("PUT", user_path(member.id), admin.token,
                         {{"is_active", "perhaps"}, {"role", 3}});
  CHECK(reply.status == 400);
  CHECK(reply.json()["error"]["field_errors"]["is_active"][0] == "Must be a valid boolean.");
  CHECK(reply.json()["error"]["field_errors"]["role"][0] == "Not a valid string.");

  reply = server.request("PUT", user_path(member.id), admin.token, {{"is_active", "true"}});
  CHECK(reply.status == 200);
  CHECK(reply.json()["is_active"] == true);

  reply = server.request("PUT", user_path(member.id), admin.token,
                         {{"email", "root@example.com"}});
  CHECK(reply.status == 409);
  CHECK(reply.error_code() == "conflict");

  CHECK(server.request("PUT", "/api/admin/users/999/", admin.token, {{"role", "viewer"}})
            .status == 404);

  // toggle-active flips and answers the user.
  reply = server.request("PATCH", user_path(member.id) + "toggle-active/", admin.token);
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["is_active"] == false);
  reply = server.request("PATCH", user_path(member.id) + "toggle-active", admin.token);
  CHECK(reply.json()["is_active"] == true);
  CHECK(server.request("PATCH", "/api/admin/users/999/toggle-active/", admin.token).status ==
        404);
}

TEST_CASE("the last active admin cannot be demoted or deactivated") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);

  Reply reply = server.request("PUT", user_path(admin.id), admin.token, {{"role", "member"}});
  CHECK(reply.status == 409);
  CHECK(reply.error_code() == "conflict");
  reply = server.request("PUT", user_path(admin.id), admin.token, {{"is_active", false}});
  CHECK(reply.status == 409);
  reply = server.request("PATCH", user_path(admin.id) + "toggle-active/", admin.token);
  CHECK(reply.status == 409);
  CHECK(server.get(user_path(admin.id), admin.token).json()["role"] == "admin");

  // With a second admin, the first may step down.
  const Account second = server.make_user("root2", Role::kAdmin);
  reply = server.request("PUT", user_path(admin.id), second.token, {{"role", "member"}});
  CHECK(reply.status == 200);
  CHECK(reply.json()["role"] == "member");
  reply = server.request("PUT", user_path(second.id), second.token, {{"role", "member"}});
  CHECK(reply.status == 409);
}

}  // namespace taskcore::server::testing

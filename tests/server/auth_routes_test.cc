// POST /api/auth/register/, POST /api/auth/login/, GET /api/auth/me/.

#include <doctest/doctest.h>

#include "test_server.h"

namespace taskcore::server::testing {

TEST_CASE("register creates a member and answers 201 with the user") {
  TestServer server;
  const Reply reply = server.post(
      "/api/auth/register/",
      {{"username", "newbie"}, {"email", "New@Example.COM"}, {"password", "s3cret-pass"},
       {"role", "admin"}, {"is_active", false}, {"unknown", 1}});
  REQUIRE(reply.status == 201);
  CHECK(reply.header("Content-Type") == "application/json");
  const Json user = reply.json();
  CHECK(user["id"].is_number_integer());
  CHECK(user["username"] == "newbie");
  CHECK(user["email"] == "New@example.com");
  CHECK(user["role"] == "member");  // read-only fields are ignored
  CHECK(user["is_active"] == true);
  CHECK(user["date_joined"] == "2025-01-01T00:00:00.000Z");
  CHECK(user["last_login"].is_null());
  CHECK(user.size() == 7);
  CHECK_FALSE(user.contains("password"));

  // The new account can log in.
  CHECK_FALSE(server.login("newbie", "s3cret-pass").empty());
}

TEST_CASE("register conflicts are 409 naming the field") {
  TestServer server;
  REQUIRE(server.post("/api/auth/register/",
                      {{"username", "taken"}, {"email", "taken@example.com"},
                       {"password", "password123"}})
              .status == 201);

  Reply reply = server.post("/api/auth/register/",
                            {{"username", "taken"}, {"email", "other@example.com"},
                             {"password", "password123"}});
  CHECK(reply.status == 409);
  CHECK(reply.error_code() == "conflict");
  CHECK(reply.json()["error"]["field_errors"].contains("username"));

  reply = server.post("/api/auth/register/",
                      {{"username", "other"}, {"email", "TAKEN@example.com"},
                       {"password", "password123"}});
  CHECK(reply.status == 409);
  CHECK(reply.error_code() == "conflict");
  CHECK(reply.json()["error"]["field_errors"].contains("email"));
}

TEST_CASE("register validation errors are 400 with field_errors") {
  TestServer server;
  Reply reply = server.post("/api/auth/register/",
                            {{"username", "ab"}, {"email", "not-an-email"},
                             {"password", "12345678"}});
  CHECK(reply.status == 400);
  CHECK(reply.error_code() == "validation_error");
  Json errors = reply.json()["error"]["field_errors"];
  CHECK(errors["username"][0] == "Ensure this field has at least 3 characters.");
  CHECK(errors["email"][0] == "Enter a valid email address.");
  CHECK(errors["password"][0] == "This password is entirely numeric.");

  reply = server.post("/api/auth/register/", Json::object());
  CHECK(reply.status == 400);
  errors = reply.json()["error"]["field_errors"];
  CHECK(errors["username"][0] == "This field is required.");
  CHECK(errors["email"][0] == "This field is required.");
  CHECK(errors["password"][0] == "This field is required.");

  reply = server.post("/api/auth/register/",
                      {{"username", 42}, {"email", nullptr}, {"password", "short"}});
  CHECK(reply.status == 400);
  errors = reply.json()["error"]["field_errors"];
  CHECK(errors["username"][0] == "Not a valid string.");
  CHECK(errors["email"][0] == "This field may not be null.");

  reply = server.post("/api/auth/register/",
                      {{"username", "bad name!"}, {"email", "a@example.com"},
                       {"password", "password123"}});
  CHECK(reply.status == 400);
  CHECK(reply.json()["error"]["field_errors"].contains("username"));
}

TEST_CASE("register is 403 when switched off") {
  TestServerOptions options;
  options.registration_enabled = false;
  TestServer server(options);
  const Reply reply = server.post("/api/auth/register/",
                                  {{"username", "newbie"}, {"email", "n@example.com"},
                                   {"password", "password123"}});
  CHECK(reply.status == 403);
  CHECK(reply.error_code() == "permission_denied");
  CHECK(reply.json()["error"]["message"] == "Registration is disabled.");
}

TEST_CASE("login returns tokens and the user") {
  TestServer server;
  server.core().users().create_user({"ada", "ada@example.com", "password123", Role::kManager});
  server.clock().advance_s(60);
  const Reply reply =
      server.post("/api/auth/login/", {{"username", "ada"}, {"password", "password123"}});
  REQUIRE(reply.status == 200);
  const Json body = reply.json();
  CHECK(body["access"].is_string());
  CHECK(body["refresh"].is_string());
  CHECK(body["access"] != body["refresh"]);
  const std::string access = body["access"];
  CHECK(std::count(access.begin(), access.end(), '.') == 2);
  CHECK(body["token_type"] == "Bearer");
  CHECK(body["expires_in"] == 900);
  CHECK(body["user"]["username"] == "ada");
  CHECK(body["user"]["role"] == "manager");
  CHECK(body["user"]["last_login"] == "2025-01-01T00:01:00.000Z");
  CHECK(body.size() == 5);
}

TEST_CASE("login failures are one identical 401") {
  TestServer server;
  server.core().users().create_user({"ada", "ada@example.com", "password123", Role::kMember});
  const User gone =
      server.core().users().create_user({"gone", "gone@example.com", "password123", Role::kMember});
  const Account admin = server.make_user("root", Role::kAdmin);
  REQUIRE(server.request("PATCH", "/api/admin/users/" + std::to_string(gone.id) +
                                      "/toggle-active/",
                         admin.token)
              .status == 200);

  std::string message;
  for (const auto& [user, password] :
       std::vector<std::pair<std::string, std::string>>{
           {"ada", "wrong-password"}, {"nobody", "password123"}, {"gone", "password123"}}) {
    CAPTURE(user);
    const Reply reply =
        server.post("/api/auth/login/", {{"username", user}, {"password", password}});
    CHECK(reply.status == 401);
    CHECK(reply.error_code() == "authentication_failed");
    CHECK(reply.header("WWW-Authenticate") == "Bearer realm=\"api\"");
    const std::string text = reply.json()["error"]["message"];
    if (message.empty()) message = text;
    CHECK(text == message);
  }

  const Reply missing = server.post("/api/auth/login/", {{"username", "ada"}});
  CHECK(missing.status == 400);
  CHECK(missing.json()["error"]["field_errors"]["password"][0] == "This field is required.");
  const Reply wrong_type =
      server.post("/api/auth/login/", {{"username", "ada"}, {"password", 12345678}});
  CHECK(wrong_type.status == 400);
  CHECK(wrong_type.json()["error"]["field_errors"]["password"][0] == "Not a valid string.");
}

TEST_CASE("me returns the caller; bad credentials are 401") {
  TestServer server;
  const Account viewer = server.make_user("vera", Role::kViewer);
  Reply reply = server.get("/api/auth/me/", viewer.token);
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["id"] == viewer.id);
  CHECK(reply.json()["username"] == "vera");
  CHECK(reply.json()["email"] == "vera@example.com");
  CHECK(reply.json()["role"] == "viewer");
  CHECK(reply.json()["last_login"] == "2025-01-01T00:00:00.000Z");

  reply = server.get("/api/auth/me/");
  CHECK(reply.status == 401);
  CHECK(reply.error_code() == "not_authenticated");
  CHECK(reply.json()["error"]["message"] == "Authentication credentials were not provided.");
  CHECK(reply.header("WWW-Authenticate") == "Bearer realm=\"api\"");

  reply = server.request("GET", "/api/auth/me/", "", nullptr,
                         {{"Authorization", "Basic dXNlcjpwYXNz"}});
  CHECK(reply.error_code() == "not_authenticated");

  reply = server.get("/api/auth/me/", "not.a.token");
  CHECK(reply.status == 401);
  CHECK(reply.error_code() == "authentication_failed");

  reply = server.request("GET", "/api/auth/me/", "", nullptr,
                         {{"Authorization", "Bearer"}});
  CHECK(reply.error_code() == "authentication_failed");
  reply = server.request("GET", "/api/auth/me/", "", nullptr,
                         {{"Authorization", "Bearer a b"}});
  CHECK(reply.error_code() == "authentication_failed");

  // A refresh token is not an access token.
  const Json login =
      server.post("/api/auth/login/", {{"username", "vera"}, {"password", "password123"}}).json();
  CHECK(server.get("/api/auth/me/", login["refresh"]).error_code() == "authentication_failed");

  // Expired after the access lifetime.
  server.clock().advance_s(15 * 60 + 1);
  CHECK(server.get("/api/auth/me/", viewer.token).error_code() == "authentication_failed");
}

}  // namespace taskcore::server::testing

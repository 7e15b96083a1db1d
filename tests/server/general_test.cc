// Cross-cutting HTTP behaviour: routing, error bodies, request ids, body
// limits, compression, failures.

#include <doctest/doctest.h>

#include <chrono>
#include <regex>
#include <sstream>

#include "raw_client.h"
#include "test_server.h"

namespace taskcore::server::testing {
namespace {

const std::regex kTimestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
const std::regex kHexId("[0-9a-f]{32}");

// Checks the §1.1 shape and that body and header ids agree.
void check_error_body(const Reply& reply, int status, const std::string& code) {
  CHECK(reply.status == status);
  CHECK(reply.header("Content-Type") == "application/json");
  const Json body = reply.json();
  CHECK(body["error"]["code"] == code);
  CHECK(body["error"]["message"].is_string());
  CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
  CHECK(body["timestamp"] == "2025-01-01T00:00:00.000Z");
  CHECK(std::regex_match(body["timestamp"].get<std::string>(), kTimestamp));
  CHECK(body["request_id"] == reply.header("X-Request-ID"));
  CHECK(body.size() == 3);
}

// One request on a fresh connection; the response as text (head, blank
// line, body).
std::string raw_text(int port, const std::string& bytes) {
  const RawResponse response = raw_exchange(port, bytes);
  return response.head + "\r\n" + response.body;
}

}  // namespace

TEST_CASE("unknown routes are 404 not_found with and without credentials") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  for (const std::string path : {"/api/nope/", "/api/nope", "/", "/api/tasks/abc/",
                                 "/api/tasks/1/extra/", "/api/tasks//"}) {
    CAPTURE(path);
    check_error_body(server.get(path), 404, "not_found");
    check_error_body(server.get(path, admin.token), 404, "not_found");
    check_error_body(server.request("DELETE", path, admin.token), 404, "not_found");
  }
  CHECK(server.get("/api/nope/").json()["error"]["message"] == "Not found.");
}

TEST_CASE("every route answers with and without the trailing slash") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const auto id = server.create_task(member.token, {{"title", "t"}});
  const std::string task = "/api/tasks/" + std::to_string(id);
  CHECK(server.get("/api/auth/me", member.token).status == 200);
  CHECK(server.get("/api/auth/me/", member.token).status == 200);
  CHECK(server.get("/api/tasks", member.token).status == 200);
  CHECK(server.get(task, member.token).status == 200);
  CHECK(server.get(task + "/", member.token).status == 200);
  CHECK(server.get("/api/health").status == 200);
  CHECK(server.post("/api/auth/login", {{"username", "mia"}, {"password", "password123"}})
            .status == 200);
  CHECK(server.request("PATCH", task, member.token, {{"status", "done"}}).status == 200);
  CHECK(server.request("DELETE", task, member.token).status == 204);
}

TEST_CASE("a known path with another method is 405 with Allow") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);

  Reply reply = server.request("DELETE", "/api/tasks/", admin.token);
  check_error_body(reply, 405, "method_not_allowed");
  CHECK(reply.header("Allow") == "GET, POST, HEAD, OPTIONS");
  CHECK(reply.json()["error"]["message"] == "Method \"DELETE\" not allowed.");

  reply = server.request("POST", "/api/tasks/1/", admin.token, Json::object());
  check_error_body(reply, 405, "method_not_allowed");
  CHECK(reply.header("Allow") == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS");

  // Public route: no credentials needed to learn the method is wrong.
  reply = server.get("/api/auth/login/");
  check_error_body(reply, 405, "method_not_allowed");
  CHECK(reply.header("Allow") == "POST, OPTIONS");

  reply = server.request("GET", "/api/admin/users/1/toggle-active/", admin.token);
  check_error_body(reply, 405, "method_not_allowed");
  CHECK(reply.header("Allow") == "PATCH, OPTIONS");

  // DRF checks permissions first: anonymous callers of a protected route
  // get 401, non-admins of an admin route 403.
  check_error_body(server.request("DELETE", "/api/tasks/"), 401, "not_authenticated");
  const Account member = server.make_user("mia", Role::kMember);
  check_error_body(server.request("DELETE", "/api/admin/users/", member.token), 403,
                   "permission_denied");

  // Methods httplib never dispatches get the same answer.
  reply = server.request("TRACE", "/api/tasks/", admin.token);
  check_error_body(reply, 405, "method_not_allowed");
  CHECK(reply.header("Allow") == "GET, POST, HEAD, OPTIONS");
}

TEST_CASE("OPTIONS and HEAD are answered from the route table") {
  TestServer server;
  Reply reply = server.request("OPTIONS", "/api/tasks/");
  CHECK(reply.status == 200);
  CHECK(reply.header("Allow") == "GET, POST, HEAD, OPTIONS");
  CHECK(reply.body.empty());
  CHECK(server.request("OPTIONS", "/api/nope/").status == 404);

  reply = server.request("HEAD", "/api/health/");
  CHECK(reply.status == 200);
  CHECK(reply.body.empty());
  CHECK(reply.has_header("X-Request-ID"));
}

TEST_CASE("X-Request-ID is echoed when well formed and made otherwise") {
  TestServer server;
  const std::string good = "Abc-123_x.y";
  Reply reply = server.request("GET", "/api/health/", "", nullptr, {{"X-Request-ID", good}});
  CHECK(reply.header("X-Request-ID") == good);
  CHECK(reply.headers.count("X-Request-ID") == 1);

  reply = server.request("GET", "/api/nope/", "", nullptr, {{"X-Request-ID", good}});
  CHECK(reply.header("X-Request-ID") == good);
  CHECK(reply.json()["request_id"] == good);

  const std::string max_len(128, 'a');
  reply = server.request("GET", "/api/health/", "", nullptr, {{"X-Request-ID", max_len}});
  CHECK(reply.header("X-Request-ID") == max_len);

  for (const std::string bad : {std::string(129, 'a'), std::string("has space"),
                                std::string("semi;colon"), std::string("ü")}) {
    CAPTURE(bad);
    reply = server.request("GET", "/api/nope/", "", nullptr, {{"X-Request-ID", bad}});
    CHECK(std::regex_match(reply.header("X-Request-ID"), kHexId));
    CHECK(reply.json()["request_id"] == reply.header("X-Request-ID"));
  }

  // Fresh ids differ from request to request.
  const std::string a = server.get("/api/health/").header("X-Request-ID");
  const std::string b = server.get("/api/health/").header("X-Request-ID");
  CHECK(std::regex_match(a, kHexId));
  CHECK(a != b);

  // 204 and 401 carry one too.
  const Account member = server.make_user("mia", Role::kMember);
  const auto id = server.create_task(member.token, {{"title", "t"}});
  reply = server.request("DELETE", "/api/tasks/" + std::to_string(id) + "/", member.token);
  CHECK(reply.status == 204);
  CHECK(std::regex_match(reply.header("X-Request-ID"), kHexId));
  check_error_body(server.get("/api/tasks/"), 401, "not_authenticated");
}

TEST_CASE("malformed JSON is 400 parse_error, non-objects 400 validation_error") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);

  Reply reply = server.raw("POST", "/api/tasks/", "{\"title\": ", member.token);
  check_error_body(reply, 400, "parse_error");
  CHECK(reply.json()["error"]["message"].get<std::string>().rfind("JSON parse error", 0) == 0);

  reply = server.raw("POST", "/api/tasks/", "{'title': 'x'}", member.token);
  check_error_body(reply, 400, "parse_error");

  reply = server.raw("POST", "/api/tasks/", "[1, 2]", member.token);
  CHECK(reply.status == 400);
  CHECK(reply.error_code() == "validation_error");
  CHECK(reply.json()["error"]["field_errors"]["non_field_errors"][0] ==
        "Invalid data. Expected a dictionary, but got list.");

  reply = server.raw("POST", "/api/auth/register/", "\"text\"");
  CHECK(reply.json()["error"]["field_errors"]["non_field_errors"][0] ==
        "Invalid data. Expected a dictionary, but got str.");

  // Invalid UTF-8 inside a JSON string.
  reply = server.raw("POST", "/api/tasks/", "{\"title\": \"a\xff\xfe\"}", member.token);
  check_error_body(reply, 400, "parse_error");
  reply = server.raw("POST", "/api/auth/login/", "{\"username\": \"\xc3\x28\"}");
  check_error_body(reply, 400, "parse_error");

  // A number too large even for a double.
  reply = server.raw("POST", "/api/tasks/", "{\"title\": \"t\", \"assigned_to\": 1e999}",
                     member.token);
  check_error_body(reply, 400, "parse_error");

  // An unauthenticated caller learns nothing about its body.
  check_error_body(server.raw("POST", "/api/tasks/", "{oops"), 401, "not_authenticated");
}

TEST_CASE("bodies over 1 MiB are 413 payload_too_large") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const std::string big = "{\"title\": \"" + std::string(1024 * 1024, 'a') + "\"}";
  Reply reply = server.raw("POST", "/api/tasks/", big, member.token,
                           {{"X-Request-ID", "big-one"}});
  check_error_body(reply, 413, "payload_too_large");
  CHECK(reply.header("X-Request-ID") == "big-one");

  // Just under the limit reaches the core (which rejects the long title).
  const std::string fits =
      "{\"title\": \"" + std::string(1024 * 1024 - 20, 'a') + "\"}";
  reply = server.raw("POST", "/api/tasks/", fits, member.token);
  CHECK(reply.status == 400);
  CHECK(reply.json()["error"]["field_errors"]["title"][0] ==
        "Ensure this field has no more than 200 characters.");
}

TEST_CASE("requests httplib cannot parse still get the contract body") {
  TestServer server;
  const std::string response =
      raw_text(server.port(), "GARBAGE\r\n\r\n");
  CHECK(response.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(response.find("X-Request-ID: ") != std::string::npos);
  const auto body = Json::parse(response.substr(response.find("\r\n\r\n") + 4));
  CHECK(body["error"]["code"] == "parse_error");
  CHECK(body["request_id"].get<std::string>().size() == 32);
}

TEST_CASE("body methods without Content-Length have an empty body") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const auto id = server.create_task(member.token, {{"title", "t"}});
  const auto started = std::chrono::steady_clock::now();

  std::string response = raw_text(
      server.port(), "DELETE /api/tasks/" + std::to_string(id) +
                         "/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + member.token +
                         "\r\n\r\n");
  CHECK(response.rfind("HTTP/1.1 204", 0) == 0);
  CHECK(response.find("X-Request-ID: ") != std::string::npos);

  response = raw_text(server.port(),
                          "POST /api/tasks/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              member.token + "\r\n\r\n");
  CHECK(response.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(response.find("This field is required.") != std::string::npos);

  response = raw_text(server.port(), "PATCH /api/health/ HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(response.rfind("HTTP/1.1 405", 0) == 0);
  CHECK(response.find("Allow: GET, HEAD, OPTIONS") != std::string::npos);

  // Answered at once, not after the server's read timeout.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
}

TEST_CASE("chunked bodies are read and limited like any other") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const std::string body = "{\"title\": \"chunked\"}";
  std::ostringstream chunk;
  chunk << std::hex << body.size();
  std::string response = raw_text(
      server.port(), "POST /api/tasks/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     "Authorization: Bearer " + member.token + "\r\n\r\n" + chunk.str() +
                         "\r\n" + body + "\r\n0\r\n\r\n");
  CHECK(response.rfind("HTTP/1.1 201", 0) == 0);
  CHECK(response.find("\"title\":\"chunked\"") != std::string::npos);

  const std::string big(1024 * 1024 + 1, 'a');
  chunk.str("");
  chunk << std::hex << big.size();
  response = raw_text(
      server.port(), "POST /api/tasks/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     "Authorization: Bearer " + member.token + "\r\n\r\n" + chunk.str() +
                         "\r\n" + big + "\r\n0\r\n\r\n");
  CHECK(response.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(response.find("payload_too_large") != std::string::npos);
}

TEST_CASE("large JSON responses are gzip-compressed when accepted") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  for (int i = 0; i < 10; ++i)
    server.create_task(member.token, {{"title", "task number " + std::to_string(i)},
                                      {"description", std::string(100, 'd')}});

  const Reply plain = server.get("/api/tasks/", member.token);
  REQUIRE(plain.status == 200);
  REQUIRE(plain.body.size() >= 1024);
  CHECK_FALSE(plain.has_header("Content-Encoding"));

  const Reply zipped = server.request("GET", "/api/tasks/", member.token, nullptr,
                                      {{"Accept-Encoding", "gzip"}});
  CHECK(zipped.status == 200);
  CHECK(zipped.header("Content-Encoding") == "gzip");
  REQUIRE(zipped.body.size() >= 2);
  CHECK(static_cast<unsigned char>(zipped.body[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(zipped.body[1]) == 0x8b);
  CHECK(zipped.body.size() < plain.body.size());

  // Browsers also list brotli; the contract still answers with gzip.
  const Reply browser = server.request("GET", "/api/tasks/", member.token, nullptr,
                                       {{"Accept-Encoding", "gzip, deflate, br"}});
  CHECK(browser.status == 200);
  CHECK(browser.header("Content-Encoding") == "gzip");

  // httplib's client inflates it back to the same document.
  httplib::Client client("127.0.0.1", server.port());
  const auto inflated = client.Get("/api/tasks/", {{"Authorization", "Bearer " + member.token},
                                                   {"Accept-Encoding", "gzip"}});
  REQUIRE(inflated);
  Json a = Json::parse(inflated->body);
  Json b = plain.json();
  CHECK(a == b);
}

TEST_CASE("internal errors are 500 and leak nothing") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const auto id = server.create_task(member.token, {{"title", "t"}});
  server.store().fail_task_reads = true;
  for (const std::string path :
       {std::string("/api/tasks/"), "/api/tasks/" + std::to_string(id) + "/"}) {
    CAPTURE(path);
    const Reply reply = server.get(path, member.token);
    check_error_body(reply, 500, "internal_error");
    CHECK(reply.json()["error"]["message"] == "Internal server error.");
    CHECK(reply.body.find("SELECT") == std::string::npos);
    CHECK(reply.body.find("passwd") == std::string::npos);
    for (const auto& [name, value] : reply.headers) {
      CHECK(value.find("passwd") == std::string::npos);
      CHECK(name != "EXCEPTION_WHAT");
    }
  }
  server.store().fail_task_reads = false;
  CHECK(server.get("/api/tasks/", member.token).status == 200);
}

TEST_CASE("health reports database and storage") {
  TestServer server;
  Reply reply = server.get("/api/health/");
  CHECK(reply.status == 200);
  CHECK(reply.header("Content-Type") == "application/json");
  Json body = reply.json();
  CHECK(body["status"] == "ok");
  CHECK(body["checks"] == Json{{"database", "ok"}, {"storage", "ok"}});
  CHECK(body["version"] == TASKCORE_SERVER_VERSION);
  CHECK(body["uptime_s"].is_number_integer());
  CHECK(body["uptime_s"].get<std::int64_t>() >= 0);

  server.store().fail_health = true;
  reply = server.get("/api/health/");
  CHECK(reply.status == 503);
  body = reply.json();
  CHECK(body["status"] == "error");
  CHECK(body["checks"] == Json{{"database", "error"}, {"storage", "ok"}});
  CHECK(body["error"]["code"] == "service_unavailable");
  CHECK(body["request_id"] == reply.header("X-Request-ID"));
  server.store().fail_health = false;

  std::filesystem::remove_all(server.media_dir());
  reply = server.get("/api/health/");
  CHECK(reply.status == 503);
  CHECK(reply.json()["checks"] == Json{{"database", "ok"}, {"storage", "error"}});
}

}  // namespace taskcore::server::testing

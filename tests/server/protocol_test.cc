// Protocol details: methods no route has, Accept-Encoding weights and Vary,
// NUL characters and byte-order marks in JSON bodies.

#include <doctest/doctest.h>

#include "middleware/encoding.h"
#include "raw_client.h"
#include "test_server.h"

namespace taskcore::server::testing {

TEST_CASE("unknown and lowercase methods on a known route are 405 with Allow") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  for (const std::string method : {"PROPFIND", "get", "TRACE", "BREW"}) {
    CAPTURE(method);
    Reply reply = server.request(method, "/api/tasks/", admin.token);
    CHECK(reply.status == 405);
    CHECK(reply.error_code() == "method_not_allowed");
    CHECK(reply.header("Allow") == "GET, POST, HEAD, OPTIONS");
    CHECK(reply.json()["error"]["message"] == "Method \"" + method + "\" not allowed.");
    CHECK(reply.json()["request_id"] == reply.header("X-Request-ID"));

    // Public route: no credentials needed; unknown path: 404; protected
    // route without credentials: 401 first, as for any other method.
    reply = server.request(method, "/api/health");
    CHECK(reply.status == 405);
    CHECK(reply.header("Allow") == "GET, HEAD, OPTIONS");
    CHECK(server.request(method, "/api/nope/", admin.token).status == 404);
    CHECK(server.request(method, "/api/tasks/").status == 401);
  }
}

TEST_CASE("Accept-Encoding weights decide compression; Vary is always sent") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("gzip, deflate, br"));
  CHECK(accepts_gzip("GZIP;q=0.5"));
  CHECK(accepts_gzip("x-gzip"));
  CHECK(accepts_gzip("*"));
  CHECK(accepts_gzip("br;q=1, gzip;q=0.001"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip; q=0.000"));
  CHECK_FALSE(accepts_gzip("*;q=0"));
  CHECK_FALSE(accepts_gzip("gzip;q=0, *"));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("br"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("gzip;q=0.5, identity"));  // identity preferred
  CHECK_FALSE(accepts_gzip("gzip;q=2"));                // not a weight

  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  for (int i = 0; i < 10; ++i)
    server.create_task(member.token, {{"title", "task " + std::to_string(i)},
                                      {"description", std::string(100, 'd')}});
  const auto list = [&](const std::string& accept) {
    return server.request("GET", "/api/tasks/", member.token, nullptr,
                          {{"Accept-Encoding", accept}});
  };
  Reply reply = list("gzip;q=0");
  CHECK(reply.status == 200);
  CHECK_FALSE(reply.has_header("Content-Encoding"));
  CHECK(reply.header("Vary") == "Accept-Encoding");
  CHECK(reply.json()["count"] == 10);

  reply = list("br;q=1, gzip;q=0.5");
  CHECK(reply.header("Content-Encoding") == "gzip");
  CHECK(reply.header("Vary") == "Accept-Encoding");
  CHECK(list("*;q=0").has_header("Content-Encoding") == false);
  CHECK(list("identity").has_header("Content-Encoding") == false);

  // Small and error bodies carry Vary too (their type is compressible).
  CHECK(server.get("/api/health/").header("Vary") == "Accept-Encoding");
  CHECK(server.get("/api/nope/").header("Vary") == "Accept-Encoding");
}

TEST_CASE("NUL characters in text fields are field errors") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  Reply reply = server.raw("POST", "/api/tasks/",
                           R"({"title": "a\u0000b", "description": "ok", "project": "\u0000"})",
                           member.token);
  CHECK(reply.status == 400);
  CHECK(reply.error_code() == "validation_error");
  const Json errors = reply.json()["error"]["field_errors"];
  CHECK(errors["title"] == Json::array({"Null characters are not allowed."}));
  CHECK(errors["project"] == Json::array({"Null characters are not allowed."}));
  CHECK_FALSE(errors.contains("description"));

  reply = server.raw("POST", "/api/auth/register/",
                     R"({"username": "nul\u0000l", "email": "n@example.com", "password": "long enough"})");
  CHECK(reply.status == 400);
  CHECK(reply.json()["error"]["field_errors"]["username"] ==
        Json::array({"Null characters are not allowed."}));
}

TEST_CASE("a body starting with a UTF-8 byte-order mark is a parse_error") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const Reply reply = server.raw("POST", "/api/tasks/", "\xEF\xBB\xBF{\"title\": \"bom\"}", member.token);
  CHECK(reply.status == 400);
  CHECK(reply.error_code() == "parse_error");
  CHECK(reply.json()["error"]["message"].get<std::string>().find("BOM") != std::string::npos);
  // Without it the same body is fine.
  CHECK(server.raw("POST", "/api/tasks/", "{\"title\": \"bom\"}", member.token).status == 201);
}

}  // namespace taskcore::server::testing

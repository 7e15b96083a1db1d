// Strict HTTP/1.1 framing end to end (RFC 9112): requests a proxy and the
// server could read differently are refused at once with the contract's
// error body, and pipelined requests are answered in order.

#include <doctest/doctest.h>

#include <chrono>

#include "raw_client.h"
#include "test_server.h"

namespace taskcore::server::testing {
namespace {

const std::string kHealth = "GET /api/health/ HTTP/1.1\r\nHost: 127.0.0.1\r\n";

// The §1.1 body, its id matching the header, then the connection closed.
void check_refused(RawConnection& connection, int status, const std::string& code) {
  const auto started = std::chrono::steady_clock::now();
  const RawResponse response = connection.read_response(3000ms);
  CHECK(response.status == status);
  CHECK(response.header("Content-Type") == "application/json");
  CHECK(response.header("Connection") == "close");
  REQUIRE_FALSE(response.body.empty());
  const Json body = Json::parse(response.body);
  CHECK(body["error"]["code"] == code);
  CHECK(body["request_id"] == response.header("X-Request-ID"));
  CHECK(connection.closed_within(3000ms));
  // Answered at once, not after a read timeout.
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

void check_refused(int port, const std::string& request, int status, const std::string& code) {
  CAPTURE(request);
  RawConnection connection(port);
  REQUIRE(connection.send(request));
  check_refused(connection, status, code);
}

}  // namespace

TEST_CASE("conflicting or invalid Content-Length is 400") {
  TestServer server;
  const std::string post = "POST /api/auth/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  check_refused(server.port(), post + "Content-Length: 2\r\nContent-Length: 30\r\n\r\n{}",
                400, "parse_error");
  check_refused(server.port(), post + "Content-Length: abc\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), post + "Content-Length: -1\r\n\r\n", 400, "parse_error");
  check_refused(server.port(),
                post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
                "parse_error");
}

TEST_CASE("transfer codings other than a final chunked are refused") {
  TestServer server;
  const std::string post = "POST /api/tasks/ HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  check_refused(server.port(), post + "Transfer-Encoding: identity\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), post + "Transfer-Encoding: gzip\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), post + "Transfer-Encoding: identity, chunked\r\n\r\n", 501,
                "parse_error");
  check_refused(server.port(), post + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501,
                "parse_error");
  // A compressed body would be inflated without limit: 415.
  check_refused(server.port(), post + "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd",
                415, "unsupported_media_type");
}

TEST_CASE("malformed header lines and a second Host are 400") {
  TestServer server;
  check_refused(server.port(), kHealth + "No colon in this line\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), kHealth + "Name : value\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), kHealth + "X-A: 1\r\n folded\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), kHealth + "Host: 127.0.0.1\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), "GET /api/health/ HTTP/1.1\r\n\r\n", 400, "parse_error");
  check_refused(server.port(), "GET /api/health/ HTTP/1.1\nHost: 127.0.0.1\n\n", 400,
                "parse_error");
  check_refused(server.port(), "GET /api/health/ HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505,
                "parse_error");
  check_refused(server.port(),
                "GET /" + std::string(2000, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414,
                "validation_error");
  check_refused(server.port(), kHealth + "X-Big: " + std::string(9000, 'b') + "\r\n\r\n", 431,
                "validation_error");
  check_refused(server.port(),
                "POST /api/tasks/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
                "chunked\r\n\r\n0\r\nX-Trailer: 1\r\n\r\n",
                400, "parse_error");
}

TEST_CASE("pipelined requests are answered in order on one connection") {
  TestServer server;
  server.make_user("mia", Role::kMember);
  const std::string login_body = R"({"username": "mia", "password": "password123"})";
  RawConnection connection(server.port());
  REQUIRE(connection.send(
      kHealth + "X-Request-ID: first\r\n\r\n" +
      "POST /api/auth/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: second\r\n"
      "Content-Length: " + std::to_string(login_body.size()) + "\r\n\r\n" + login_body +
      "GET /api/nope/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: third\r\n\r\n" +
      "POST /api/tasks/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: fourth\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
  RawResponse response = connection.read_response();
  CHECK(response.status == 200);
  CHECK(response.header("X-Request-ID") == "first");
  response = connection.read_response();
  CHECK(response.status == 200);
  CHECK(response.header("X-Request-ID") == "second");
  CHECK(Json::parse(response.body)["user"]["username"] == "mia");
  response = connection.read_response();
  CHECK(response.status == 404);
  CHECK(response.header("X-Request-ID") == "third");
  response = connection.read_response();
  CHECK(response.status == 401);
  CHECK(response.header("X-Request-ID") == "fourth");

  // The connection is still usable, and a request split across writes is
  // read whole.
  REQUIRE(connection.send("GET /api/health/ HTTP/1.1\r\nHo"));
  std::this_thread::sleep_for(50ms);
  REQUIRE(connection.send("st: 127.0.0.1\r\nX-Request-ID: fifth\r\n\r\n"));
  response = connection.read_response();
  CHECK(response.status == 200);
  CHECK(response.header("X-Request-ID") == "fifth");

  // A bad request in a pipeline: everything before it is answered, then
  // the refusal, then the connection closes.
  REQUIRE(connection.send(kHealth + "X-Request-ID: sixth\r\n\r\n" + kHealth +
                          "Content-Length: 1\r\nContent-Length: 2\r\n\r\n" + kHealth + "\r\n"));
  response = connection.read_response();
  CHECK(response.status == 200);
  CHECK(response.header("X-Request-ID") == "sixth");
  check_refused(connection, 400, "parse_error");
}

TEST_CASE("Connection: close and HTTP/1.0 end the connection after the answer") {
  TestServer server;
  RawConnection closing(server.port());
  REQUIRE(closing.send(kHealth + "Connection: close\r\n\r\n" + kHealth + "\r\n"));
  CHECK(closing.read_response().status == 200);
  CHECK(closing.closed_within(2000ms));
  CHECK(closing.received().empty());  // the second request was not served

  RawConnection old(server.port());
  REQUIRE(old.send("GET /api/health/ HTTP/1.0\r\n\r\n"));
  CHECK(old.read_response().status == 200);
  CHECK(old.closed_within(2000ms));
}

}  // namespace taskcore::server::testing

// Allowed hosts (Django's ALLOWED_HOSTS), the public URL of absolute
// links, and X-Forwarded-* believed from trusted proxies only.

#include <doctest/doctest.h>

#include "middleware/hosts.h"
#include "raw_client.h"
#include "test_server.h"

namespace taskcore::server::testing {
namespace {

// The client address the audit log recorded for the one bulk update.
std::string bulk_update_ip(TestServer& server, const Account& admin) {
  const Reply reply = server.get("/api/admin/audit-log/?action=bulk_update", admin.token);
  REQUIRE(reply.status == 200);
  const Json results = reply.json()["results"];
  REQUIRE(results.size() == 1);
  return results[0]["ip"].get<std::string>();
}

Reply with_host(TestServer& server, const std::string& path, const std::string& host,
                const std::string& token = "", httplib::Headers extra = {}) {
  extra.emplace("Host", host);
  return server.request("GET", path, token, nullptr, std::move(extra));
}

}  // namespace

TEST_CASE("host names: Django's split and match") {
  CHECK(host_domain("Example.COM:8080") == "example.com");
  CHECK(host_domain("example.com.") == "example.com");
  CHECK(host_domain("[::1]:8000") == "[::1]");
  CHECK(host_domain("evil.com/phish?") == "");
  CHECK(host_domain("a b") == "");
  CHECK(host_domain("host:") == "");
  CHECK(host_domain("host:80x") == "");
  CHECK(host_domain("under_score") == "");
  CHECK(host_domain("") == "");

  const HostPolicy policy({"example.com", ".tasks.org"});
  CHECK(policy.allows("example.com"));
  CHECK(policy.allows("EXAMPLE.com:443"));
  CHECK(policy.allows("tasks.org"));
  CHECK(policy.allows("eu.tasks.org"));
  CHECK_FALSE(policy.allows("notasks.org"));
  CHECK_FALSE(policy.allows("www.example.com"));
  CHECK_FALSE(policy.allows("example.com/x"));
  CHECK(HostPolicy({"*"}).allows("anything.at.all:1"));
  CHECK_FALSE(HostPolicy({"*"}).allows("evil.com/phish?"));
}

TEST_CASE("by default only the bind address and localhost names are served") {
  TestServerOptions options;
  options.allowed_hosts = {};  // the real default
  TestServer server(options);
  CHECK(server.get("/api/health/").status == 200);  // Host: 127.0.0.1:<port>
  for (const std::string host : {"localhost", "localhost:8000", "127.0.0.1", "[::1]:80"}) {
    CAPTURE(host);
    CHECK(with_host(server, "/api/health/", host).status == 200);
  }
  for (const std::string host : {"evil.com", "evil.com/phish?", "127.0.0.1.evil.com", "local host"}) {
    CAPTURE(host);
    const Reply reply = with_host(server, "/api/health/", host);
    CHECK(reply.status == 400);
    CHECK(reply.error_code() == "parse_error");
    CHECK(reply.json()["error"]["message"] == "Invalid Host header.");
    CHECK(reply.body.find("evil") == std::string::npos);  // never echoed
  }
  // HTTP/1.0 may omit Host.
  CHECK(raw_exchange(server.port(), "GET /api/health/ HTTP/1.0\r\n\r\n").status == 200);
}

TEST_CASE("a forged Host never reaches the links; --public-url sets them") {
  TestServerOptions options;
  options.allowed_hosts = {"127.0.0.1", "tasks.example.com"};
  options.configure = [](ServerConfig& config) {
    config.public_url = "https://public.example.com/tracker/";
  };
  TestServer server(options);
  const Account member = server.make_user("mia", Role::kMember);
  for (int i = 0; i < 3; ++i) server.create_task(member.token, {{"title", "t"}});

  CHECK(with_host(server, "/api/tasks/?page_size=1", "evil.com/phish?", member.token).status == 400);
  // Both the allowed host and the public URL's own host are served; links
  // always start with the public URL.
  for (const std::string host : {"tasks.example.com", "public.example.com"}) {
    const Reply reply = with_host(server, "/api/tasks/?page_size=1", host, member.token);
    REQUIRE(reply.status == 200);
    CHECK(reply.json()["next"] ==
          "https://public.example.com/tracker/api/tasks/?page=2&page_size=1");
  }
}

TEST_CASE("X-Forwarded-* count only from trusted proxies") {
  const auto make = [&](std::vector<std::string> trusted) {
    TestServerOptions options;
    options.allowed_hosts = {"127.0.0.1", "tasks.example.com"};
    options.configure = [trusted](ServerConfig& config) { config.trusted_proxies = trusted; };
    return options;
  };
  const httplib::Headers forwarded{{"X-Forwarded-Proto", "https"},
                                   {"X-Forwarded-Host", "tasks.example.com"},
                                   {"X-Forwarded-For", "203.0.113.7, 198.51.100.2"}};
  const auto bulk = [](TestServer& server, const Account& user, std::int64_t id,
                       httplib::Headers headers) {
    return server.request("POST", "/api/tasks/bulk-update/", user.token,
                          {{"task_ids", {id}}, {"updates", {{"status", "done"}}}},
                          std::move(headers));
  };

  SUBCASE("from anyone else they are ignored") {
    TestServer server(make({}));
    const Account member = server.make_user("mia", Role::kMember);
    for (int i = 0; i < 2; ++i) server.create_task(member.token, {{"title", "t"}});
    const Reply reply = server.request("GET", "/api/tasks/?page_size=1", member.token, nullptr,
                                       forwarded);
    REQUIRE(reply.status == 200);
    CHECK(reply.json()["next"].get<std::string>().rfind(
              "http://127.0.0.1:" + std::to_string(server.port()) + "/api/tasks/", 0) == 0);
    const auto id = server.create_task(member.token, {{"title", "audited"}});
    CHECK(bulk(server, member, id, forwarded).status == 200);
    CHECK(bulk_update_ip(server, server.make_user("root", Role::kAdmin)) == "127.0.0.1");
    // Nor can they smuggle a host past the check.
    CHECK(server.request("GET", "/api/health/", "", nullptr,
                         {{"X-Forwarded-Host", "evil.com"}}).status == 200);
  }

  SUBCASE("from a trusted proxy they set scheme, host and client address") {
    TestServer server(make({"127.0.0.0/8", "198.51.100.0/24"}));
    const Account member = server.make_user("mia", Role::kMember);
    for (int i = 0; i < 2; ++i) server.create_task(member.token, {{"title", "t"}});
    const Reply reply = server.request("GET", "/api/tasks/?page_size=1", member.token, nullptr,
                                       forwarded);
    REQUIRE(reply.status == 200);
    CHECK(reply.json()["next"] == "https://tasks.example.com/api/tasks/?page=2&page_size=1");
    const auto id = server.create_task(member.token, {{"title", "audited"}});
    CHECK(bulk(server, member, id, forwarded).status == 200);
    // 198.51.100.2 is a trusted hop too: the client is the one before it.
    CHECK(bulk_update_ip(server, server.make_user("root", Role::kAdmin)) == "203.0.113.7");
    // The forwarded host must be allowed like any Host.
    const Reply evil = server.request("GET", "/api/health/", "", nullptr,
                                      {{"X-Forwarded-Host", "evil.com"}});
    CHECK(evil.status == 400);
    CHECK(evil.error_code() == "parse_error");
  }
}

}  // namespace taskcore::server::testing

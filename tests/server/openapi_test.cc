// GET /api/schema/: the served OpenAPI document is the one in the
// repository, and it names exactly the routes the router serves, with the
// refusals their access level can give.

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "openapi_document.h"
#include "router.h"
#include "routes/routes.h"
#include "test_server.h"
#include "util/etag.h"

namespace taskcore::server::testing {
namespace {

constexpr const char* kMethods[] = {"get", "put", "post", "patch", "delete", "head", "options"};

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string without_trailing_slash(std::string path) {
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// "METHOD /pattern" of every operation served by the main listener (a path
// item of another listener says so with x-taskcore-listener).
std::set<std::string> document_operations(const Json& document) {
  std::set<std::string> out;
  for (const auto& [path, item] : document.at("paths").items()) {
    if (item.contains("x-taskcore-listener")) continue;
    for (const char* method : kMethods)
      if (item.contains(method)) out.insert(upper(method) + " " + without_trailing_slash(path));
  }
  return out;
}

const Json& operation_of(const Json& document, const RouteInfo& route) {
  const Json& paths = document.at("paths");
  const std::string slashed = route.pattern + "/";
  const Json& item = paths.contains(slashed) ? paths.at(slashed) : paths.at(route.pattern);
  std::string method = route.method;
  for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return item.at(method);
}

}  // namespace

TEST_CASE("api schema: the document and the router list the same operations") {
  const Json document = Json::parse(openapi_document());
  CHECK(document.at("openapi").get<std::string>().rfind("3.1", 0) == 0);

  Router router;
  add_all_routes(router);
  std::set<std::string> served;
  for (const RouteInfo& route : router.routes()) served.insert(route.method + " " + route.pattern);
  const std::set<std::string> documented = document_operations(document);

  for (const std::string& op : served) {
    INFO("served, not documented: " << op);
    CHECK(documented.count(op) == 1);
  }
  for (const std::string& op : documented) {
    INFO("documented, not served: " << op);
    CHECK(served.count(op) == 1);
  }
  CHECK(served.size() >= 44);
}

TEST_CASE("api schema: every operation documents the refusals of its access level") {
  const Json document = Json::parse(openapi_document());
  Router router;
  add_all_routes(router);
  for (const RouteInfo& route : router.routes()) {
    INFO(route.method << " " << route.pattern);
    const Json& responses = operation_of(document, route).at("responses");
    if (route.access == Access::kAuthenticated || route.access == Access::kAdmin)
      CHECK(responses.contains("401"));
    if (route.access == Access::kAdmin) CHECK(responses.contains("403"));
    if (route.pattern.find("{id}") != std::string::npos) CHECK(responses.contains("404"));
  }
}

TEST_CASE("api schema: served as stored, revalidated by its entity tag") {
  TestServer server;
  const Reply reply = server.get("/api/schema/");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Content-Type").rfind("application/json", 0) == 0);
  CHECK(reply.body == openapi_document());
  const std::string etag = reply.header("ETag");
  CHECK(etag == openapi_document_etag());
  CHECK(etag.size() == 34);

  const Reply again = server.request("GET", "/api/schema", "", nullptr,
                                     {{"If-None-Match", "W/\"other\", " + etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());

  // Read only.
  const Reply post = server.post("/api/schema/", Json::object());
  CHECK(post.status == 405);
}

TEST_CASE("etag_matches: If-None-Match lists, weak tags and *") {
  const std::string_view tag = "\"3f2a\"";
  CHECK(etag_matches("\"3f2a\"", tag));
  CHECK(etag_matches("W/\"x\", \t W/\"3f2a\" ", tag));
  CHECK(etag_matches("*", tag));
  CHECK(etag_matches("\"x\",*", tag));
  CHECK_FALSE(etag_matches("", tag));
  CHECK_FALSE(etag_matches("\"3f2a", tag));
  CHECK_FALSE(etag_matches("\"3f2ab\", \"x\"", tag));
  CHECK_FALSE(etag_matches(",,, ,", tag));
}

}  // namespace taskcore::server::testing

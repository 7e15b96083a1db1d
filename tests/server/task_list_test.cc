// GET /api/tasks/: pagination, filters, filters_applied, ordering, search.

#include <doctest/doctest.h>

#include <algorithm>

#include "test_server.h"

namespace taskcore::server::testing {
namespace {

std::vector<std::string> titles(const Json& body) {
  std::vector<std::string> out;
  for (const auto& task : body["results"]) out.push_back(task["title"]);
  return out;
}

}  // namespace

TEST_CASE("pagination: count, next and previous URLs from the Host header") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);

  // Page 1 of nothing is an empty 200.
  Reply reply = server.get("/api/tasks/", member.token);
  REQUIRE(reply.status == 200);
  CHECK(reply.json() == Json{{"count", 0}, {"next", nullptr}, {"previous", nullptr},
                             {"results", Json::array()}, {"filters_applied", Json::object()}});
  CHECK(server.get("/api/tasks/?page=2", member.token).status == 404);

  for (int i = 0; i < 45; ++i) {
    server.create_task(member.token, {{"title", "task " + std::to_string(i)},
                                      {"category", i % 2 ? "odd" : "even"}});
    server.clock().advance_ms(1);
  }

  const httplib::Headers host{{"Host", "tasks.example.com:8080"}};
  reply = server.request("GET", "/api/tasks/", member.token, nullptr, host);
  Json body = reply.json();
  CHECK(body["count"] == 45);
  CHECK(body["results"].size() == 20);
  CHECK(body["next"] == "http://tasks.example.com:8080/api/tasks/?page=2");
  CHECK(body["previous"].is_null());
  CHECK(body["results"][0]["title"] == "task 44");  // default -created_at

  reply = server.request("GET", "/api/tasks/?page=2&category=odd,even&page_size=10",
                         member.token, nullptr, host);
  body = reply.json();
  CHECK(body["count"] == 45);
  CHECK(body["results"].size() == 10);
  CHECK(body["next"] ==
        "http://tasks.example.com:8080/api/tasks/?category=odd%2Ceven&page=3&page_size=10");
  // DRF drops `page` entirely for page 1.
  CHECK(body["previous"] ==
        "http://tasks.example.com:8080/api/tasks/?category=odd%2Ceven&page_size=10");
  CHECK(body["results"][0]["title"] == "task 34");

  reply = server.request("GET", "/api/tasks?search=task%20%C3%BC+", member.token, nullptr, host);
  CHECK(reply.json()["count"] == 0);
  CHECK(reply.json()["filters_applied"] == Json{{"search", "task \u00fc"}});
  reply = server.request("GET", "/api/tasks?page=3&page_size=10&search=task+", member.token,
                         nullptr, host);
  body = reply.json();
  CHECK(body["filters_applied"] == Json{{"search", "task"}});
  CHECK(body["previous"] ==
        "http://tasks.example.com:8080/api/tasks?page=2&page_size=10&search=task+");

  // Last page.
  body = server.get("/api/tasks/?page=3", member.token).json();
  CHECK(body["results"].size() == 5);
  CHECK(body["next"].is_null());
  CHECK(body["previous"] == "http://" + server.host_port() + "/api/tasks/?page=2");

  // page_size is clamped to 100.
  body = server.get("/api/tasks/?page_size=500", member.token).json();
  CHECK(body["results"].size() == 45);
  for (int i = 0; i < 60; ++i) server.create_task(member.token, {{"title", "more"}});
  body = server.get("/api/tasks/?page_size=500", member.token).json();
  CHECK(body["count"] == 105);
  CHECK(body["results"].size() == 100);
  CHECK(body["next"] == "http://" + server.host_port() + "/api/tasks/?page=2&page_size=500");

  // Past the end, and bad page numbers.
  reply = server.get("/api/tasks/?page=99", member.token);
  CHECK(reply.status == 404);
  CHECK(reply.error_code() == "not_found");
  for (const std::string bad : {"page=0", "page=abc", "page=-1", "page=1.5"}) {
    CAPTURE(bad);
    reply = server.get("/api/tasks/?" + bad, member.token);
    CHECK(reply.status == 400);
    CHECK(reply.error_code() == "validation_error");
    CHECK(reply.json()["error"]["field_errors"].contains("page"));
  }
  reply = server.get("/api/tasks/?page_size=0&status=nope", member.token);
  CHECK(reply.status == 400);
  CHECK(reply.json()["error"]["field_errors"].contains("page_size"));
  CHECK(reply.json()["error"]["field_errors"].contains("status"));
}

TEST_CASE("filters and filters_applied") {
  TestServer server;
  const Account mia = server.make_user("mia", Role::kMember);
  const Account otto = server.make_user("otto", Role::kMember);
  server.create_task(mia.token, {{"title", "a"}, {"category", "web"}, {"project", "p1"},
                                 {"status", "todo"}, {"priority", "low"},
                                 {"due_date", "2025-01-10"}});
  server.create_task(mia.token, {{"title", "b"}, {"category", "design"}, {"project", "p2"},
                                 {"status", "done"}, {"priority", "urgent"},
                                 {"due_date", "2025-01-20"}, {"assigned_to", otto.id}});
  server.create_task(otto.token, {{"title", "c"}, {"category", "ops"},
                                  {"status", "review"}, {"priority", "high"}});

  const auto list = [&](const std::string& query) {
    const Reply reply = server.get("/api/tasks/?" + query, mia.token);
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    return reply.json();
  };
  const auto sorted_titles = [](const Json& body) {
    auto t = titles(body);
    std::sort(t.begin(), t.end());
    return t;
  };

  Json body = list("category=web&category=design");
  CHECK(sorted_titles(body) == std::vector<std::string>{"a", "b"});
  CHECK(body["filters_applied"] == Json{{"categories", {"web", "design"}}});

  body = list("category=web,ops&status=todo,review");
  CHECK(sorted_titles(body) == std::vector<std::string>{"a", "c"});
  CHECK(body["filters_applied"] ==
        Json{{"categories", {"web", "ops"}}, {"status", {"todo", "review"}}});
  body = list("category=web,ops&status=review");
  CHECK(sorted_titles(body) == std::vector<std::string>{"c"});

  body = list("project=p2&priority=urgent&assigned_to=" + std::to_string(otto.id));
  CHECK(titles(body) == std::vector<std::string>{"b"});
  CHECK(body["filters_applied"] == Json{{"projects", {"p2"}},
                                        {"priority", {"urgent"}},
                                        {"assigned_to", {otto.id}}});

  body = list("created_by=" + std::to_string(otto.id));
  CHECK(titles(body) == std::vector<std::string>{"c"});
  CHECK(body["filters_applied"] == Json{{"created_by", {otto.id}}});

  body = list("due_date_start=2025-01-15");
  CHECK(titles(body) == std::vector<std::string>{"b"});
  CHECK(body["filters_applied"] ==
        Json{{"date_range", {{"start", "2025-01-15"}, {"end", nullptr}}}});

  body = list("due_date_start=2025-01-10&due_date_end=2025-01-20");
  CHECK(sorted_titles(body) == std::vector<std::string>{"a", "b"});
  body = list("due_date_end=2025-01-10");
  CHECK(titles(body) == std::vector<std::string>{"a"});
  CHECK(body["filters_applied"] ==
        Json{{"date_range", {{"start", nullptr}, {"end", "2025-01-10"}}}});

  body = list("ordering=priority,-due_date&search=&unknown=1");
  CHECK(titles(body) == std::vector<std::string>{"a", "c", "b"});
  CHECK(body["filters_applied"] == Json{{"ordering", "priority,-due_date"}});

  body = list("ordering=-priority");
  CHECK(titles(body) == std::vector<std::string>{"b", "c", "a"});
  body = list("ordering=due_date");
  CHECK(titles(body) == std::vector<std::string>{"a", "b", "c"});  // nulls last
  body = list("ordering=-due_date");
  CHECK(titles(body) == std::vector<std::string>{"b", "a", "c"});
  body = list("ordering=title");
  CHECK(titles(body) == std::vector<std::string>{"a", "b", "c"});

  // Invalid values name the parameter.
  for (const std::string bad :
       {"status=nope", "priority=zzz", "due_date_start=2025-13-01", "due_date_end=yesterday",
        "ordering=colour", "assigned_to=x", "created_by=1.5",
        "due_date_start=2025-02-01&due_date_end=2025-01-01"}) {
    CAPTURE(bad);
    const Reply reply = server.get("/api/tasks/?" + bad, mia.token);
    CHECK(reply.status == 400);
    CHECK(reply.error_code() == "validation_error");
    const std::string param = bad.substr(0, bad.find('='));
    CHECK(reply.json()["error"]["field_errors"].contains(param));
  }
}

TEST_CASE("search matches words and never fails on syntax characters") {
  TestServer server;
  const Account mia = server.make_user("mia", Role::kMember);
  server.create_task(mia.token, {{"title", "Deploy the database"},
                                 {"description", "migrate postgres tables"}});
  server.create_task(mia.token, {{"title", "Design homepage"}, {"description", "hero image"}});

  const auto search = [&](const std::string& encoded) {
    const Reply reply = server.get("/api/tasks/?search=" + encoded, mia.token);
    CAPTURE(encoded);
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    return reply.json();
  };
  Json body = search("deploy");
  CHECK(titles(body) == std::vector<std::string>{"Deploy the database"});
  CHECK(body["filters_applied"] == Json{{"search", "deploy"}});
  CHECK(titles(search("postgres+migr")) == std::vector<std::string>{"Deploy the database"});
  CHECK(titles(search("hero")) == std::vector<std::string>{"Design homepage"});
  CHECK(search("de")["count"] == 2);
  CHECK(search("nothing")["count"] == 0);

  for (const std::string nasty :
       {"%22", "%27", "*", "deploy%22+OR+1%3D1", "NEAR(a+b)", "%27%3B+DROP+TABLE+tasks%3B--",
        "a+AND", "OR", "-", "%5E", "col%3Avalue", "%28%29", "%7B%7D", "%5C"}) {
    const Reply reply = server.get("/api/tasks/?search=" + nasty, mia.token);
    CAPTURE(nasty);
    CHECK(reply.status == 200);
  }
  CHECK(server.get("/api/tasks/", mia.token).json()["count"] == 2);

  const Reply too_long = server.get("/api/tasks/?search=" + std::string(201, 'a'), mia.token);
  CHECK(too_long.status == 400);
  CHECK(too_long.json()["error"]["field_errors"].contains("search"));
}

}  // namespace taskcore::server::testing

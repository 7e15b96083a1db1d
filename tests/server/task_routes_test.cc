// POST /api/tasks/, GET|PUT|PATCH|DELETE /api/tasks/{id}/.

#include <doctest/doctest.h>

#include "test_server.h"

namespace taskcore::server::testing {
namespace {

std::string task_path(std::int64_t id) { return "/api/tasks/" + std::to_string(id) + "/"; }

Json field_errors(const Reply& reply) { return reply.json()["error"]["field_errors"]; }

}  // namespace

TEST_CASE("create answers 201 with the full task") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const Account other = server.make_user("otto", Role::kMember);
  const Reply reply = server.post(
      "/api/tasks/",
      {{"title", "  Write docs  "}, {"description", "API.md"}, {"status", "in_progress"},
       {"priority", "high"}, {"category", "docs"}, {"project", "taskcore"},
       {"due_date", "2025-02-03"}, {"assigned_to", other.id},
       {"id", 999}, {"created_by", other.id}, {"created_at", "1999-01-01T00:00:00.000Z"}},
      member.token);
  REQUIRE(reply.status == 201);
  const Json task = reply.json();
  CHECK(task["id"].is_number_integer());
  CHECK(task["id"] != 999);
  CHECK(task["title"] == "Write docs");
  CHECK(task["description"] == "API.md");
  CHECK(task["status"] == "in_progress");
  CHECK(task["priority"] == "high");
  CHECK(task["category"] == "docs");
  CHECK(task["project"] == "taskcore");
  CHECK(task["due_date"] == "2025-02-03");
  CHECK(task["assigned_to"] == other.id);
  CHECK(task["created_by"] == member.id);
  CHECK(task["created_at"] == "2025-01-01T00:00:00.000Z");
  CHECK(task["updated_at"] == "2025-01-01T00:00:00.000Z");
  CHECK(task.size() == 12);

  // Defaults and nulls.
  const Json minimal = server.post("/api/tasks/", {{"title", "x"}}, member.token).json();
  CHECK(minimal["status"] == "todo");
  CHECK(minimal["priority"] == "medium");
  CHECK(minimal["description"] == "");
  CHECK(minimal["category"].is_null());
  CHECK(minimal["project"].is_null());
  CHECK(minimal["due_date"].is_null());
  CHECK(minimal["assigned_to"].is_null());

  // DRF reads "" as no assignee and digit strings as ids.
  CHECK(server.post("/api/tasks/", {{"title", "x"}, {"assigned_to", ""}}, member.token)
            .json()["assigned_to"]
            .is_null());
  CHECK(server.post("/api/tasks/", {{"title", "x"}, {"assigned_to", std::to_string(other.id)}},
                    member.token)
            .json()["assigned_to"] == other.id);
}

TEST_CASE("create validation errors name each field") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);

  Reply reply = server.post("/api/tasks/", Json::object(), member.token);
  CHECK(reply.status == 400);
  CHECK(reply.error_code() == "validation_error");
  CHECK(field_errors(reply)["title"][0] == "This field is required.");

  reply = server.raw("POST", "/api/tasks/", "", member.token);
  CHECK(reply.status == 400);
  CHECK(field_errors(reply)["title"][0] == "This field is required.");

  reply = server.post("/api/tasks/", {{"title", nullptr}}, member.token);
  CHECK(field_errors(reply)["title"][0] == "This field may not be null.");

  reply = server.post("/api/tasks/", {{"title", std::string(201, 'x')}}, member.token);
  CHECK(field_errors(reply)["title"][0] ==
        "Ensure this field has no more than 200 characters.");
  CHECK(server.post("/api/tasks/", {{"title", std::string(200, 'x')}}, member.token).status ==
        201);

  reply = server.post("/api/tasks/",
                      {{"title", "t"}, {"status", "doing"}, {"priority", "meh"},
                       {"due_date", "2025-02-30"}},
                      member.token);
  CHECK(reply.status == 400);
  Json errors = field_errors(reply);
  CHECK(errors["status"][0] == "\"doing\" is not a valid choice.");
  CHECK(errors["priority"][0] == "\"meh\" is not a valid choice.");
  CHECK(errors["due_date"][0] ==
        "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.");
  CHECK_FALSE(errors.contains("title"));

  // Wrong JSON types, reported together with the core's own findings.
  reply = server.post("/api/tasks/",
                      {{"title", 123}, {"description", Json::array()}, {"status", true},
                       {"assigned_to", "abc"}, {"priority", "meh"}},
                      member.token);
  CHECK(reply.status == 400);
  errors = field_errors(reply);
  CHECK(errors["title"] == Json{"Not a valid string."});
  CHECK(errors["description"] == Json{"Not a valid string."});
  CHECK(errors["status"] == Json{"Not a valid string."});
  CHECK(errors["assigned_to"] == Json{"A valid integer is required."});
  CHECK(errors["priority"][0] == "\"meh\" is not a valid choice.");

  // Numbers beyond int64 never crash.
  for (const std::string huge :
       {"99999999999999999999999", "18446744073709551615", "9223372036854775808",
        "-9223372036854775809", "1.5", "1e300"}) {
    CAPTURE(huge);
    reply = server.raw("POST", "/api/tasks/",
                       "{\"title\": \"t\", \"assigned_to\": " + huge + "}", member.token);
    CHECK(reply.status == 400);
    CHECK(field_errors(reply)["assigned_to"][0] == "A valid integer is required.");
  }
  reply = server.raw("POST", "/api/tasks/", "{\"title\": \"t\", \"assigned_to\": 123456789}",
                     member.token);
  CHECK(reply.status == 400);
  CHECK(field_errors(reply).contains("assigned_to"));
}

TEST_CASE("get, put, patch and delete a task") {
  TestServer server;
  const Account member = server.make_user("mia", Role::kMember);
  const auto id = server.create_task(
      member.token, {{"title", "first"}, {"category", "web"}, {"priority", "low"}});

  Reply reply = server.get(task_path(id), member.token);
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["title"] == "first");

  server.clock().advance_s(5);
  reply = server.request("PATCH", task_path(id), member.token, {{"status", "review"}});
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["status"] == "review");
  CHECK(reply.json()["title"] == "first");
  CHECK(reply.json()["category"] == "web");
  CHECK(reply.json()["updated_at"] == "2025-01-01T00:00:05.000Z");
  CHECK(reply.json()["created_at"] == "2025-01-01T00:00:00.000Z");

  // PUT needs the required fields.
  reply = server.request("PUT", task_path(id), member.token, {{"status", "done"}});
  CHECK(reply.status == 400);
  CHECK(field_errors(reply)["title"][0] == "This field is required.");

  reply = server.request("PUT", task_path(id), member.token,
                         {{"title", "second"}, {"category", nullptr}});
  REQUIRE(reply.status == 200);
  CHECK(reply.json()["title"] == "second");
  CHECK(reply.json()["category"].is_null());

  reply = server.request("PATCH", task_path(id), member.token, {{"due_date", "bad"}});
  CHECK(reply.status == 400);
  CHECK(field_errors(reply).contains("due_date"));

  reply = server.request("DELETE", task_path(id), member.token);
  CHECK(reply.status == 204);
  CHECK(reply.body.empty());
  CHECK(server.get(task_path(id), member.token).status == 404);
}

TEST_CASE("task permissions and missing tasks") {
  TestServer server;
  const Account viewer = server.make_user("vera", Role::kViewer);
  const Account owner = server.make_user("mia", Role::kMember);
  const Account other = server.make_user("otto", Role::kMember);
  const Account manager = server.make_user("max", Role::kManager);
  const auto id = server.create_task(owner.token, {{"title", "mine"}});

  Reply reply = server.post("/api/tasks/", {{"title", "nope"}}, viewer.token);
  CHECK(reply.status == 403);
  CHECK(reply.error_code() == "permission_denied");
  CHECK(reply.json()["error"]["message"] ==
        "You do not have permission to perform this action.");

  CHECK(server.get(task_path(id), viewer.token).status == 200);
  CHECK(server.request("PATCH", task_path(id), other.token, {{"title", "x"}}).status == 403);
  CHECK(server.request("PUT", task_path(id), other.token, {{"title", "x"}}).status == 403);
  CHECK(server.request("DELETE", task_path(id), other.token).status == 403);
  CHECK(server.request("DELETE", task_path(id), viewer.token).status == 403);
  CHECK(server.get(task_path(id), owner.token).json()["title"] == "mine");

  // Assignees may update but not delete.
  CHECK(server.request("PATCH", task_path(id), owner.token, {{"assigned_to", other.id}})
            .status == 200);
  CHECK(server.request("PATCH", task_path(id), other.token, {{"status", "done"}}).status ==
        200);
  CHECK(server.request("DELETE", task_path(id), other.token).status == 403);
  CHECK(server.request("PATCH", task_path(id), manager.token, {{"priority", "urgent"}})
            .status == 200);

  for (const std::string path :
       {std::string("/api/tasks/999999/"), std::string("/api/tasks/0/"),
        std::string("/api/tasks/99999999999999999999999/")}) {
    CAPTURE(path);
    reply = server.get(path, owner.token);
    CHECK(reply.status == 404);
    CHECK(reply.error_code() == "not_found");
    CHECK(server.request("PATCH", path, owner.token, {{"title", "x"}}).status == 404);
    CHECK(server.request("DELETE", path, manager.token).status == 404);
  }
  CHECK(server.request("DELETE", task_path(id), manager.token).status == 204);
}

}  // namespace taskcore::server::testing

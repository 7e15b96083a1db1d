// POST /api/tasks/bulk-update/, DELETE|POST /api/tasks/bulk-delete/.

#include <doctest/doctest.h>

#include "test_server.h"

namespace taskcore::server::testing {
namespace {

struct BulkServer {
  TestServer server;
  Account viewer = server.make_user("vera", Role::kViewer);
  Account member = server.make_user("mia", Role::kMember);
  Account other = server.make_user("otto", Role::kMember);
  Account manager = server.make_user("max", Role::kManager);
  std::vector<std::int64_t> mine, theirs;

  BulkServer() {
    for (int i = 0; i < 3; ++i) {
      mine.push_back(server.create_task(member.token, {{"title", "m" + std::to_string(i)}}));
      theirs.push_back(server.create_task(other.token, {{"title", "o" + std::to_string(i)}}));
    }
  }

  Json task(std::int64_t id) {
    return server.get("/api/tasks/" + std::to_string(id) + "/", manager.token).json();
  }
};

}  // namespace

TEST_CASE("bulk update: successes, per-id failures, exact body") {
  BulkServer s;
  const Json ids = {s.mine[0], s.theirs[0], 999999, s.mine[1], s.mine[0]};
  const Reply reply = s.server.post(
      "/api/tasks/bulk-update/",
      {{"task_ids", ids}, {"updates", {{"status", "done"}, {"priority", "urgent"}}}},
      s.member.token);
  REQUIRE(reply.status == 200);
  const Json body = reply.json();
  CHECK(body["updated_count"] == 2);
  REQUIRE(body["failed_updates"].size() == 2);
  CHECK(body["failed_updates"][0]["task_id"] == s.theirs[0]);
  CHECK(body["failed_updates"][0]["error"]["code"] == "permission_denied");
  CHECK(body["failed_updates"][0]["error"]["message"].is_string());
  CHECK(body["failed_updates"][1] ==
        Json({{"task_id", 999999}, {"error", {{"code", "not_found"}, {"message", "Not found."}}}}));
  CHECK(s.task(s.mine[0])["status"] == "done");
  CHECK(s.task(s.mine[1])["priority"] == "urgent");
  CHECK(s.task(s.theirs[0])["status"] == "todo");
}

TEST_CASE("bulk update: a manager changes any task, nulls clear fields") {
  BulkServer s;
  Json all = Json::array();
  for (auto id : s.mine) all.push_back(id);
  for (auto id : s.theirs) all.push_back(id);
  const Reply reply = s.server.post(
      "/api/tasks/bulk-update/",
      {{"task_ids", all},
       {"updates", {{"category", "ops"}, {"project", nullptr}, {"assigned_to", s.member.id},
                    {"due_date", "2026-01-31"}}}},
      s.manager.token);
  REQUIRE(reply.status == 200);
  CHECK(reply.json() == Json({{"updated_count", 6}, {"failed_updates", Json::array()}}));
  const Json task = s.task(s.theirs[2]);
  CHECK(task["category"] == "ops");
  CHECK(task["project"].is_null());
  CHECK(task["assigned_to"] == s.member.id);
  CHECK(task["due_date"] == "2026-01-31");
}

TEST_CASE("bulk update: viewer 403, anonymous 401") {
  BulkServer s;
  const Json body = {{"task_ids", {s.mine[0]}}, {"updates", {{"status", "done"}}}};
  CHECK(s.server.post("/api/tasks/bulk-update/", body, s.viewer.token).error_code() ==
        "permission_denied");
  CHECK(s.server.post("/api/tasks/bulk-update/", body).status == 401);
  CHECK(s.task(s.mine[0])["status"] == "todo");
}

TEST_CASE("bulk update: bad input is 400 naming task_ids or updates.<field>, nothing changed") {
  BulkServer s;
  auto errors_of = [&](const Json& body) {
    const Reply reply = s.server.post("/api/tasks/bulk-update/", body, s.manager.token);
    CHECK(reply.status == 400);
    CHECK(reply.error_code() == "validation_error");
    return reply.json()["error"]["field_errors"];
  };
  const Json updates = {{"status", "done"}};
  CHECK(errors_of({{"task_ids", Json::array()}, {"updates", updates}}).contains("task_ids"));
  CHECK(errors_of({{"updates", updates}}).contains("task_ids"));
  CHECK(errors_of({{"task_ids", "1,2"}, {"updates", updates}}).contains("task_ids"));
  CHECK(errors_of({{"task_ids", {1, "x"}}, {"updates", updates}}).contains("task_ids"));
  CHECK(errors_of({{"task_ids", {1, 1e300}}, {"updates", updates}}).contains("task_ids"));
  Json many = Json::array();
  for (int i = 1; i <= 10001; ++i) many.push_back(i);
  CHECK(errors_of({{"task_ids", many}, {"updates", updates}}).contains("task_ids"));

  const Json ids = {s.mine[0]};
  CHECK(errors_of({{"task_ids", ids}}).contains("updates"));
  CHECK(errors_of({{"task_ids", ids}, {"updates", "done"}}).contains("updates"));
  CHECK(errors_of({{"task_ids", ids}, {"updates", Json::object()}}).contains("updates"));
  CHECK(errors_of({{"task_ids", ids}, {"updates", {{"status", "finished"}}}})
            .contains("updates.status"));
  CHECK(errors_of({{"task_ids", ids}, {"updates", {{"priority", 3}}}})
            .contains("updates.priority"));
  CHECK(errors_of({{"task_ids", ids}, {"updates", {{"color", "red"}}}})
            .contains("updates.color"));
  CHECK(errors_of({{"task_ids", ids}, {"updates", {{"title", "x"}}}})
            .contains("updates.title"));
  CHECK(errors_of({{"task_ids", ids}, {"updates", {{"assigned_to", 4242}}}})
            .contains("updates.assigned_to"));
  // One bad field fails the whole request.
  const Json mixed = errors_of(
      {{"task_ids", ids}, {"updates", {{"status", "done"}, {"due_date", "someday"}}}});
  CHECK(mixed.contains("updates.due_date"));
  CHECK(s.task(s.mine[0])["status"] == "todo");
}

TEST_CASE("bulk delete over DELETE and POST") {
  BulkServer s;
  const Reply reply = s.server.request(
      "DELETE", "/api/tasks/bulk-delete/", s.member.token,
      {{"task_ids", {s.mine[0], s.theirs[0], 31337}}});
  REQUIRE(reply.status == 200);
  const Json body = reply.json();
  CHECK(body["deleted_count"] == 1);
  REQUIRE(body["failed_deletes"].size() == 2);
  CHECK(body["failed_deletes"][0]["error"]["code"] == "permission_denied");
  CHECK(body["failed_deletes"][1]["error"]["code"] == "not_found");
  CHECK(s.server.get("/api/tasks/" + std::to_string(s.mine[0]) + "/", s.member.token).status == 404);

  const Reply by_post = s.server.post("/api/tasks/bulk-delete",
                                      {{"task_ids", {s.theirs[0], s.theirs[1]}}},
                                      s.manager.token);
  REQUIRE(by_post.status == 200);
  CHECK(by_post.json()["deleted_count"] == 2);

  CHECK(s.server.request("DELETE", "/api/tasks/bulk-delete/", s.viewer.token,
                         {{"task_ids", {s.mine[1]}}}).status == 403);
  CHECK(s.server.request("DELETE", "/api/tasks/bulk-delete/", s.manager.token,
                         {{"task_ids", Json::array()}}).status == 400);
  CHECK(s.server.get("/api/tasks/", s.manager.token).json()["count"] == 3);
}

TEST_CASE("bulk routes: other methods are 405 with Allow") {
  BulkServer s;
  const Reply update = s.server.get("/api/tasks/bulk-update/", s.manager.token);
  CHECK(update.status == 405);
  CHECK(update.header("Allow").find("POST") != std::string::npos);
  const Reply del = s.server.get("/api/tasks/bulk-delete/", s.manager.token);
  CHECK(del.status == 405);
  CHECK(del.header("Allow").find("DELETE") != std::string::npos);
}

}  // namespace taskcore::server::testing

#include <doctest/doctest.h>

#include "server/test_server.h"
#include "support/media_samples.h"

using namespace taskcore;
using namespace taskcore::server::testing;
using taskcore::testing::TempDir;

namespace {

struct BlogServer {
  TestServer server;
  TempDir dir;
  Account author = server.make_user("ann", Role::kMember);
  Account other = server.make_user("otto", Role::kMember);
  Account viewer = server.make_user("vic", Role::kViewer);
  Account manager = server.make_user("meg", Role::kManager);

  Json create(const Account& who, const Json& body) {
    const Reply reply = server.post("/api/blog/posts/", body, who.token);
    REQUIRE_MESSAGE(reply.status == 201, reply.body);
    return reply.json();
  }
  std::string path(const Json& post) {
    return "/api/blog/posts/" + std::to_string(post["id"].get<std::int64_t>()) + "/";
  }
  Reply patch(const Json& post, const Json& body, const Account& who) {
    return server.request("PATCH", path(post), who.token, body);
  }
  MediaFile upload_png(const Account& who) {
    const std::string file = dir.file("in-" + std::to_string(who.id) + ".png");
    taskcore::testing::write_image(file, MediaType::kPng, {64, 48});
    return server.core().media().upload(Principal{who.id, Role::kMember, ""}, {{file, "a.png"}})
        .front();
  }
};

std::vector<std::int64_t> result_ids(const Json& page) {
  std::vector<std::int64_t> ids;
  for (const Json& item : page["results"]) ids.push_back(item["id"].get<std::int64_t>());
  return ids;
}

}  // namespace

TEST_CASE("post routes: create answers the whole post; author and slug are the server's") {
  BlogServer s;
  const Json post = s.create(s.author, {{"title", "  Hello, Wörld!  "},
                                        {"body", "First words."},
                                        {"author", s.other.id},
                                        {"slug", "chosen"},
                                        {"created_at", "2000-01-01T00:00:00.000Z"}});
  CHECK(post["title"] == "Hello, Wörld!");
  CHECK(post["slug"] == "hello-world");
  CHECK(post["body"] == "First words.");
  CHECK(post["status"] == "draft");
  CHECK(post["author"] == s.author.id);
  CHECK(post["cover_media"].is_null());
  CHECK(post["media_ids"] == Json::array());
  CHECK(post["published_at"].is_null());
  CHECK(post["created_at"] == post["updated_at"]);
  CHECK(post["created_at"].get<std::string>().ends_with("Z"));
  CHECK(post.size() == 11);

  const Json again = s.create(s.other, {{"title", "Hello world"}, {"status", "published"}});
  CHECK(again["slug"] == "hello-world-2");
  CHECK(again["body"] == "");
  CHECK(again["published_at"] == again["created_at"]);
  // Without the trailing slash too.
  CHECK(s.server.get("/api/blog/posts", s.author.token).json()["count"] == 2);
}

TEST_CASE("post routes: bad input names each field; viewers and anonymous callers write nothing") {
  BlogServer s;
  Reply r = s.server.post("/api/blog/posts/", {{"body", "x"}}, s.author.token);
  CHECK(r.error_code() == "validation_error");
  CHECK(r.json()["error"]["field_errors"]["title"][0] == "This field is required.");

  r = s.server.post("/api/blog/posts/",
                    {{"title", ""}, {"status", "live"}, {"media_ids", "1"}, {"cover_media", 999}},
                    s.author.token);
  CHECK(r.status == 400);
  const Json errors = r.json()["error"]["field_errors"];
  CHECK(errors["title"][0] == "This field may not be blank.");
  CHECK(errors["status"][0] == "\"live\" is not a valid choice.");
  CHECK(errors["media_ids"][0] == "Expected a list of items but got type \"string\".");

  r = s.server.post("/api/blog/posts/", {{"title", "t"}, {"cover_media", 999}, {"media_ids", {7}}},
                    s.author.token);
  CHECK(r.json()["error"]["field_errors"] ==
        Json{{"cover_media", {"Invalid pk \"999\" - object does not exist."}},
             {"media_ids", {"Invalid pk \"7\" - object does not exist."}}});
  r = s.server.post("/api/blog/posts/", {{"title", std::string(201, 'x')}}, s.author.token);
  CHECK(r.json()["error"]["field_errors"]["title"][0] ==
        "Ensure this field has no more than 200 characters.");
  CHECK(s.server.raw("POST", "/api/blog/posts/", "{nope", s.author.token).error_code() ==
        "parse_error");

  CHECK(s.server.post("/api/blog/posts/", {{"title", "t"}}, s.viewer.token).error_code() ==
        "permission_denied");
  CHECK(s.server.post("/api/blog/posts/", {{"title", "t"}}).error_code() == "not_authenticated");
  // Nothing was stored by any of these.
  CHECK(s.server.get("/api/blog/posts/", s.manager.token).json()["count"] == 0);
}

TEST_CASE("post routes: published posts are public, drafts only for author, manager, admin") {
  BlogServer s;
  const Json draft = s.create(s.author, {{"title", "Draft"}});
  const Json live = s.create(s.author, {{"title", "Live"}, {"status", "published"}});

  Reply list = s.server.get("/api/blog/posts/");
  REQUIRE(list.status == 200);
  CHECK(result_ids(list.json()) == std::vector<std::int64_t>{live["id"]});
  CHECK(s.server.get(s.path(live)).json()["title"] == "Live");
  CHECK(s.server.get(s.path(draft)).error_code() == "not_found");
  CHECK(s.server.get(s.path(draft), s.other.token).error_code() == "not_found");
  CHECK(s.server.get(s.path(draft), s.viewer.token).error_code() == "not_found");
  CHECK(s.server.get(s.path(draft), s.author.token).json()["title"] == "Draft");
  CHECK(s.server.get(s.path(draft), s.manager.token).json()["title"] == "Draft");
  CHECK(s.server.get("/api/blog/posts/", s.other.token).json()["count"] == 1);
  CHECK(s.server.get("/api/blog/posts/", s.author.token).json()["count"] == 2);
  CHECK(s.server.get("/api/blog/posts/", s.manager.token).json()["count"] == 2);
  // Credentials on a public read are still checked.
  CHECK(s.server.get("/api/blog/posts/", "not-a-token").error_code() == "authentication_failed");
  // Someone else's draft is not there to change either.
  CHECK(s.patch(draft, {{"title", "x"}}, s.other).error_code() == "not_found");
}

TEST_CASE("post routes: members change their own posts, managers any; publishing stamps once") {
  BlogServer s;
  const Json post = s.create(s.author, {{"title", "Mine"}, {"body", "v1"}});

  Reply r = s.patch(post, {{"status", "published"}, {"title", "Renamed"}}, s.author);
  REQUIRE(r.status == 200);
  const std::string published_at = r.json()["published_at"];
  CHECK(r.json()["slug"] == "mine");  // links survive a new title
  CHECK(r.json()["title"] == "Renamed");
  s.server.clock().advance_s(30);
  CHECK(s.patch(post, {{"status", "draft"}}, s.author).json()["published_at"] == published_at);
  CHECK(s.patch(post, {{"status", "published"}}, s.author).json()["published_at"] ==
        published_at);

  CHECK(s.patch(post, {{"body", "theirs"}}, s.other).error_code() == "permission_denied");
  CHECK(s.patch(post, {{"body", "theirs"}}, s.viewer).error_code() == "permission_denied");
  CHECK(s.server.request("PUT", s.path(post), s.author.token, {{"body", "no title"}})
            .json()["error"]["field_errors"]["title"][0] == "This field is required.");
  r = s.server.request("PUT", s.path(post), s.manager.token, {{"title", "By meg"}, {"body", "v2"}});
  REQUIRE(r.status == 200);
  CHECK(r.json()["author"] == s.author.id);
  CHECK(r.json()["body"] == "v2");

  CHECK(s.server.request("DELETE", s.path(post), s.other.token).error_code() ==
        "permission_denied");
  CHECK(s.server.request("DELETE", s.path(post), s.author.token).status == 204);
  CHECK(s.server.get(s.path(post), s.manager.token).error_code() == "not_found");
  CHECK(s.server.request("DELETE", "/api/blog/posts/", s.author.token).status == 405);
}

TEST_CASE("post routes: filters, search over title and body, ordering, pages") {
  BlogServer s;
  const Json a = s.create(s.author, {{"title", "Zebra crossing"}, {"body", "Stripes at night"},
                                     {"status", "published"}});
  s.server.clock().advance_s(1);
  const Json b = s.create(s.other, {{"title", "Apple pie"}, {"body", "A café recipe"},
                                    {"status", "published"}});
  s.server.clock().advance_s(1);
  const Json c = s.create(s.author, {{"title", "Night notes"}});

  Json page = s.server.get("/api/blog/posts/?search=night", s.manager.token).json();
  CHECK(result_ids(page) == std::vector<std::int64_t>{c["id"], a["id"]});
  CHECK(page["filters_applied"] == Json{{"search", "night"}});
  CHECK(result_ids(s.server.get("/api/blog/posts/?search=CAFE%20rec").json()) ==
        std::vector<std::int64_t>{b["id"]});
  page = s.server.get("/api/blog/posts/?status=draft&author=" + std::to_string(s.author.id),
                      s.manager.token)
             .json();
  CHECK(result_ids(page) == std::vector<std::int64_t>{c["id"]});
  CHECK(page["filters_applied"] == Json{{"status", {"draft"}}, {"author", {s.author.id}}});
  CHECK(result_ids(s.server.get("/api/blog/posts/?ordering=title").json()) ==
        std::vector<std::int64_t>{b["id"], a["id"]});
  CHECK(result_ids(s.server.get("/api/blog/posts/?ordering=-published_at", s.manager.token)
                       .json()) == std::vector<std::int64_t>{b["id"], a["id"], c["id"]});
  CHECK(result_ids(s.server.get("/api/blog/posts/?slug=apple-pie").json()) ==
        std::vector<std::int64_t>{b["id"]});

  page = s.server.get("/api/blog/posts/?page_size=1&page=2", s.manager.token).json();
  CHECK(page["count"] == 3);
  CHECK(result_ids(page) == std::vector<std::int64_t>{b["id"]});
  CHECK(page["next"].get<std::string>().find("page=3") != std::string::npos);
  CHECK(s.server.get("/api/blog/posts/?page=9").error_code() == "not_found");

  const Reply bad = s.server.get("/api/blog/posts/?status=gone&ordering=author&author=x");
  CHECK(bad.error_code() == "validation_error");
  const Json errors = bad.json()["error"]["field_errors"];
  CHECK(errors.contains("status"));
  CHECK(errors.contains("ordering"));
  CHECK(errors.contains("author"));
}

TEST_CASE("post routes: media references, referenced_by, and a media delete leaving every post") {
  BlogServer s;
  const MediaFile cover = s.upload_png(s.author);
  const MediaFile inline_image = s.upload_png(s.other);
  const Json post = s.create(s.author, {{"title", "Gallery"},
                                        {"cover_media", cover.id},
                                        {"media_ids", {inline_image.id, cover.id, inline_image.id}}});
  CHECK(post["cover_media"] == cover.id);
  CHECK(post["media_ids"] == Json{inline_image.id, cover.id});
  const Json second = s.create(s.other, {{"title", "Another"}, {"media_ids", {cover.id}}});

  Reply detail = s.server.get("/api/blog/media/" + std::to_string(cover.id) + "/", s.viewer.token);
  CHECK(detail.json()["referenced_by"] == Json{post["id"], second["id"]});

  REQUIRE(s.server.request("DELETE", "/api/blog/media/" + std::to_string(cover.id) + "/",
                           s.author.token)
              .status == 204);
  Json after = s.server.get(s.path(post), s.author.token).json();
  CHECK(after["cover_media"].is_null());
  CHECK(after["media_ids"] == Json{inline_image.id});
  CHECK(s.server.get(s.path(second), s.other.token).json()["media_ids"] == Json::array());

  // Clearing both with "" and null, as forms and JSON clients send them.
  after = s.patch(post, {{"cover_media", ""}, {"media_ids", Json::array()}}, s.author).json();
  CHECK(after["media_ids"] == Json::array());
  CHECK(s.patch(post, {{"media_ids", nullptr}}, s.author).json()["error"]["field_errors"]
            ["media_ids"][0] == "This field may not be null.");
}

#include <doctest/doctest.h>

#include "server/test_server.h"
#include "support/media_samples.h"

using namespace taskcore;
using namespace taskcore::server::testing;
using taskcore::testing::TempDir;

namespace {

struct MediaServer {
  TestServer server;
  TempDir dir;
  Account member = server.make_user("mia", Role::kMember);
  Account other = server.make_user("otto", Role::kMember);
  int counter = 0;

  MediaFile upload(const Account& who, Role role, const std::string& name,
                   const std::function<void(const std::string&)>& write) {
    const std::string path = dir.file("in-" + std::to_string(counter++));
    write(path);
    return server.core().media().upload(Principal{who.id, role, ""}, {{path, name}}).front();
  }
  std::string file_path(const std::string& url) {
    return url.substr(url.find("/api/"));
  }
};

}  // namespace

TEST_CASE("media routes: list, filters_applied, detail") {
  MediaServer s;
  const MediaFile png = s.upload(s.member, Role::kMember, "Cat.png", [](auto& p) {
    taskcore::testing::write_image(p, MediaType::kPng, {640, 320});
  });
  s.server.clock().advance_s(60);
  const MediaFile pdf = s.upload(s.other, Role::kMember, "paper.pdf",
                                 [](auto& p) { taskcore::testing::write_pdf(p); });

  CHECK(s.server.get("/api/blog/media/").error_code() == "not_authenticated");
  Reply list = s.server.get("/api/blog/media/", s.member.token);
  REQUIRE(list.status == 200);
  Json body = list.json();
  CHECK(body["count"] == 2);
  CHECK(body["filters_applied"] == Json::object());
  CHECK(body["results"][0]["id"] == pdf.id);
  CHECK(body["results"][1]["id"] == png.id);
  const Json& item = body["results"][1];
  CHECK(item["filename"] == png.filename);
  CHECK(item["original_filename"] == "Cat.png");
  CHECK(item["file_type"] == "png");
  CHECK(item["mime_type"] == "image/png");
  CHECK(item["file_size"] == png.file_size);
  CHECK(item["uploaded_by"] == s.member.id);
  CHECK(item["width"] == 640);
  CHECK(item["height"] == 320);
  CHECK(item["url"] == "http://" + s.server.host_port() + "/api/blog/media/files/" + png.filename);
  CHECK(item["thumbnail_url"] ==
        "http://" + s.server.host_port() + "/api/blog/media/files/" + *png.thumbnail_filename);
  CHECK(body["results"][0]["thumbnail_url"].is_null());
  CHECK(body["results"][0]["width"].is_null());

  body = s.server.get("/api/blog/media/?file_type=document&user_id=" + std::to_string(s.other.id) +
                          "&upload_date_start=2025-01-01&ordering=-file_size",
                      s.member.token)
             .json();
  CHECK(body["count"] == 1);
  CHECK(body["filters_applied"] ==
        Json{{"file_type", {"pdf", "doc", "docx"}},
             {"user_id", {s.other.id}},
             {"date_range", {{"start", "2025-01-01"}, {"end", nullptr}}},
             {"ordering", "-file_size"}});
  CHECK(s.server.get("/api/blog/media/?file_type=exe", s.member.token).error_code() ==
        "validation_error");
  CHECK(s.server.get("/api/blog/media/?page=2", s.member.token).error_code() == "not_found");

  const Reply detail = s.server.get("/api/blog/media/" + std::to_string(png.id), s.member.token);
  REQUIRE(detail.status == 200);
  CHECK(detail.json()["referenced_by"] == Json::array());
  CHECK(detail.json()["id"] == png.id);
  CHECK(s.server.get("/api/blog/media/999/", s.member.token).error_code() == "not_found");
}

TEST_CASE("media routes: files are public, typed, cached and ranged") {
  MediaServer s;
  const MediaFile png = s.upload(s.member, Role::kMember, "a.png", [](auto& p) {
    taskcore::testing::write_image(p, MediaType::kPng, {200, 100});
  });
  const MediaFile pdf = s.upload(s.member, Role::kMember, "doc.pdf",
                                 [](auto& p) { taskcore::testing::write_pdf(p); });
  const std::string png_path = "/api/blog/media/files/" + png.filename;
  const std::string original = taskcore::testing::read_bytes(
      (s.server.media_dir() / png.filename).string());

  Reply r = s.server.get(png_path);
  REQUIRE(r.status == 200);
  CHECK(r.body == original);
  CHECK(r.header("Content-Type") == "image/png");
  CHECK(r.header("X-Content-Type-Options") == "nosniff");
  CHECK(r.header("Accept-Ranges") == "bytes");
  CHECK(r.header("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK_FALSE(r.has_header("Content-Disposition"));
  const std::string etag = r.header("ETag");
  CHECK(etag == "\"" + png.filename + "\"");

  r = s.server.request("GET", png_path, "", nullptr, {{"If-None-Match", etag}});
  CHECK(r.status == 304);
  CHECK(r.body.empty());
  r = s.server.request("GET", png_path, "", nullptr, {{"If-None-Match", "\"other\""}});
  CHECK(r.status == 200);

  r = s.server.request("GET", png_path, "", nullptr, {{"Range", "bytes=0-9"}});
  CHECK(r.status == 206);
  CHECK(r.body == original.substr(0, 10));
  CHECK(r.header("Content-Range") == "bytes 0-9/" + std::to_string(original.size()));
  r = s.server.request("GET", png_path, "", nullptr, {{"Range", "bytes=-5"}});
  CHECK(r.status == 206);
  CHECK(r.body == original.substr(original.size() - 5));
  r = s.server.request("GET", png_path, "", nullptr,
                       {{"Range", "bytes=" + std::to_string(original.size()) + "-"}});
  CHECK(r.status == 416);
  CHECK(r.header("Content-Range") == "bytes */" + std::to_string(original.size()));
  // If-Range: the range holds only for the version it names.
  r = s.server.request("GET", png_path, "", nullptr, {{"Range", "bytes=0-9"}, {"If-Range", etag}});
  CHECK(r.status == 206);
  CHECK(r.body == original.substr(0, 10));
  r = s.server.request("GET", png_path, "", nullptr,
                       {{"Range", "bytes=0-9"}, {"If-Range", "\"older\""}});
  CHECK(r.status == 200);
  CHECK(r.body == original);
  CHECK_FALSE(r.has_header("Content-Range"));
  // Several ranges: the whole file, which RFC 9110 allows.
  r = s.server.request("GET", png_path, "", nullptr, {{"Range", "bytes=0-3,10-12"}});
  CHECK(r.status == 200);
  CHECK(r.body == original);
  // HEAD: the GET's head, no body.
  r = s.server.request("HEAD", png_path);
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(r.header("Content-Length") == std::to_string(original.size()));
  CHECK(r.header("ETag") == etag);

  r = s.server.get("/api/blog/media/files/" + *png.thumbnail_filename);
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "image/png");

  r = s.server.get("/api/blog/media/files/" + pdf.filename);
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "application/pdf");
  CHECK(r.header("Content-Disposition") == "attachment; filename=\"" + pdf.filename + "\"");

  CHECK(s.server.get("/api/blog/media/files/0123456789abcdef0123456789abcdef.png").status == 404);
  CHECK(s.server.get("/api/blog/media/files/..%2Fserver.db").status == 404);
  CHECK(s.server.get("/api/blog/media/files/.tmp-x.png").status == 404);
}

TEST_CASE("media routes: delete is the uploader's, a manager's or an admin's") {
  MediaServer s;
  const MediaFile png = s.upload(s.member, Role::kMember, "a.png", [](auto& p) {
    taskcore::testing::write_image(p, MediaType::kPng, {20, 20});
  });
  const std::string path = "/api/blog/media/" + std::to_string(png.id) + "/";
  CHECK(s.server.request("DELETE", path, s.other.token).error_code() == "permission_denied");
  CHECK(s.server.request("DELETE", path, s.member.token).status == 204);
  CHECK(s.server.get("/api/blog/media/files/" + png.filename).status == 404);
  CHECK_FALSE(std::filesystem::exists(s.server.media_dir() / png.filename));
  CHECK_FALSE(std::filesystem::exists(s.server.media_dir() / *png.thumbnail_filename));
  CHECK(s.server.request("DELETE", path, s.member.token).error_code() == "not_found");
}

// POST /api/blog/media/upload/ end to end: multipart streamed to
// temporary files, the core's refusals, nothing left behind.

#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "server/test_server.h"
#include "support/media_samples.h"

using namespace taskcore;
using namespace taskcore::server::testing;
namespace samples = taskcore::testing;

namespace {

constexpr const char* kBoundary = "----taskcore-test-boundary";
const std::string kMultipart = std::string("multipart/form-data; boundary=") + kBoundary;

struct FilePart {
  std::string name;
  std::string bytes;
  std::string field = "file";
};

std::string multipart(const std::vector<FilePart>& parts) {
  std::string body;
  for (const FilePart& part : parts) {
    body += std::string("--") + kBoundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + part.field + "\"; filename=\"" +
            part.name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    body += part.bytes;
    body += "\r\n";
  }
  body += std::string("--") + kBoundary + "--\r\n";
  return body;
}

struct Uploads {
  TestServer server;
  samples::TempDir dir;
  Account member = server.make_user("mia", Role::kMember);

  std::string made(const std::function<void(const std::string&)>& write) {
    const std::string path = dir.file("sample-" + std::to_string(counter++));
    write(path);
    return samples::read_bytes(path);
  }
  Reply upload(const std::vector<FilePart>& parts, const std::string& token) {
    return server.raw("POST", "/api/blog/media/upload/", multipart(parts), token, {}, kMultipart);
  }
  std::size_t stored_files() const {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(server.media_dir())) {
      (void)entry;
      ++n;
    }
    return n;
  }
  int counter = 0;
};

std::string pdf_of_size(std::size_t size) {
  std::string pdf = "%PDF-1.4\n";
  pdf.resize(size, ' ');
  return pdf;
}

}  // namespace

TEST_CASE("upload: types from the bytes, thumbnails, 201 with every file") {
  Uploads u;
  const std::string png = u.made([](auto& p) { samples::write_image(p, MediaType::kPng, {900, 300}); });
  const std::string docx = u.made([](auto& p) { samples::write_docx(p); });
  const std::string doc = u.made([](auto& p) { samples::write_doc(p); });
  const Reply r = u.upload({{"spoofed.pdf", png}, {"report.docx", docx}, {"old.doc", doc}},
                           u.member.token);
  REQUIRE(r.status == 201);
  const Json body = r.json();
  CHECK(body["count"] == 3);
  CHECK(body["results"][0]["file_type"] == "png");
  CHECK(body["results"][0]["original_filename"] == "spoofed.pdf");
  CHECK(body["results"][0]["width"] == 900);
  CHECK(body["results"][0]["file_size"] == png.size());
  CHECK(body["results"][1]["file_type"] == "docx");
  CHECK(body["results"][2]["file_type"] == "doc");
  CHECK(body["results"][2]["thumbnail_url"].is_null());

  // The thumbnail, fetched over HTTP and decoded: 320 wide, aspect kept.
  const std::string thumb_url = body["results"][0]["thumbnail_url"];
  const Reply thumb = u.server.get(thumb_url.substr(thumb_url.find("/api/")));
  REQUIRE(thumb.status == 200);
  samples::write_bytes(u.dir.file("thumb.png"), thumb.body);
  const samples::ImageSize size = samples::read_image_size(u.dir.file("thumb.png"));
  CHECK(size.width == 320);
  CHECK(size.height == 107);
  // Files and thumbnails only: no temporary is left.
  CHECK(u.stored_files() == 4);
}

TEST_CASE("upload: exactly 10 MiB is taken, one byte more is 413 and stores nothing") {
  Uploads u;
  const std::string png = u.made([](auto& p) { samples::write_image(p, MediaType::kPng, {8, 8}); });
  Reply r = u.upload({{"ok.png", png}, {"big.pdf", pdf_of_size(10485761)}}, u.member.token);
  CHECK(r.status == 413);
  CHECK(r.error_code() == "payload_too_large");
  CHECK(u.stored_files() == 0);
  r = u.upload({{"exact.pdf", pdf_of_size(10485760)}}, u.member.token);
  REQUIRE(r.status == 201);
  CHECK(r.json()["results"][0]["file_size"] == 10485760);
  CHECK(u.stored_files() == 1);
  // The connection that was refused early did not poison the server.
  CHECK(u.server.get("/api/blog/media/", u.member.token).json()["count"] == 1);
}

TEST_CASE("upload: refusals are all or nothing") {
  Uploads u;
  const std::string png = u.made([](auto& p) { samples::write_image(p, MediaType::kPng, {8, 8}); });
  const std::string zip = u.made([](auto& p) { samples::write_docx(p, false); });
  for (const FilePart& bad : {FilePart{"text.jpg", std::string(300, 'x')},
                              FilePart{"plain.docx", zip},
                              FilePart{"tool.exe", std::string("MZ\x90\0", 4) + std::string(64, '\0')}}) {
    CAPTURE(bad.name);
    const Reply r = u.upload({{"fine.png", png}, bad}, u.member.token);
    CHECK(r.status == 415);
    CHECK(r.error_code() == "unsupported_media_type");
  }
  CHECK(u.stored_files() == 0);

  std::vector<FilePart> eleven(11, FilePart{"p.png", png});
  CHECK(u.upload(eleven, u.member.token).error_code() == "validation_error");
  Reply r = u.upload({{"note", "just text", "title"}}, u.member.token);
  CHECK(r.error_code() == "validation_error");
  CHECK(r.json()["error"]["field_errors"].contains("file"));
  r = u.server.raw("POST", "/api/blog/media/upload/", "--" + std::string(kBoundary) + "\r\nbroken",
                   u.member.token, {}, kMultipart);
  CHECK(r.error_code() == "parse_error");
  r = u.server.raw("POST", "/api/blog/media/upload/", "{}", u.member.token);
  CHECK(r.status == 415);
  CHECK(u.upload({{"fine.png", png}}, "").error_code() == "not_authenticated");
  const Account viewer = u.server.make_user("vic", Role::kViewer);
  CHECK(u.upload({{"fine.png", png}}, viewer.token).error_code() == "permission_denied");
  CHECK(u.stored_files() == 0);
}

TEST_CASE("upload: odd names are data and concurrent uploads all land") {
  Uploads u;
  const std::string png = u.made([](auto& p) { samples::write_image(p, MediaType::kPng, {30, 30}); });
  const Reply r = u.upload({{"..\\\\..\\\\x/../../etc/\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80.png", png}},
                           u.member.token);
  REQUIRE(r.status == 201);
  CHECK(r.json()["results"][0]["original_filename"] == "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80.png");

  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i)
        if (u.upload({{"a.png", png}, {"b.png", png}}, u.member.token).status == 201) ++created;
    });
  for (auto& t : threads) t.join();
  CHECK(created == 12);
  CHECK(u.server.get("/api/blog/media/", u.member.token).json()["count"] == 25);
  CHECK(u.stored_files() == 50);
}

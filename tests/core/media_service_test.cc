#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "support/fixtures.h"
#include "support/media_samples.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    (void)entry;
    ++n;
  }
  return n;
}

std::string read_all(MediaReader& reader) {
  std::string out(static_cast<std::size_t>(reader.size()), '\0');
  std::size_t at = 0;
  while (at < out.size()) {
    const std::size_t n = reader.read_at(
        static_cast<std::int64_t>(at),
        std::span<std::byte>(reinterpret_cast<std::byte*>(out.data() + at), out.size() - at));
    if (n == 0) break;
    at += n;
  }
  return out;
}

struct MediaFixture : CoreFixture {
  std::filesystem::path media_dir = dir.path() / "media";
  Principal member = make_user("mia", Role::kMember);

  UploadedFile sample(const std::string& name, const std::function<void(const std::string&)>& write) {
    const std::string path = dir.file("in-" + std::to_string(counter++));
    write(path);
    return {path, name};
  }
  int counter = 0;
};

}  // namespace

TEST_CASE_FIXTURE(MediaFixture, "media: every allowed type is stored with its sniffed type") {
  std::vector<UploadedFile> files = {
      sample("photo.jpg", [](auto& p) { write_image(p, MediaType::kJpg, {800, 600}); }),
      sample("spoofed.pdf", [](auto& p) { write_image(p, MediaType::kPng, {100, 50}); }),
      sample("anim.gif", [](auto& p) { write_image(p, MediaType::kGif, {64, 64}); }),
      sample("pic.webp", [](auto& p) { write_image(p, MediaType::kWebp, {200, 400}); }),
      sample("paper.pdf", [](auto& p) { write_pdf(p); }),
      sample("letter.doc", [](auto& p) { write_doc(p); }),
      sample("report.docx", [](auto& p) { write_docx(p); }),
  };
  const std::vector<MediaFile> stored = core->media().upload(member, files);
  REQUIRE(stored.size() == 7);
  const MediaType expected[] = {MediaType::kJpg, MediaType::kPng,  MediaType::kGif,
                                MediaType::kWebp, MediaType::kPdf, MediaType::kDoc,
                                MediaType::kDocx};
  for (std::size_t i = 0; i < stored.size(); ++i) {
    CAPTURE(i);
    CHECK(stored[i].file_type == expected[i]);
    CHECK(stored[i].original_filename == files[i].original_filename);
    CHECK(stored[i].uploaded_by == member.user_id);
    CHECK(stored[i].file_size == static_cast<std::int64_t>(std::filesystem::file_size(files[i].path)));
    CHECK(stored[i].filename.size() == 32 + media_extension(expected[i]).size());
    CHECK(stored[i].thumbnail_filename.has_value() == is_image(expected[i]));
    // The stored bytes are the uploaded bytes.
    MediaContent content = core->media().open(stored[i].filename);
    CHECK(content.type == expected[i]);
    CHECK(read_all(*content.reader) == read_bytes(files[i].path));
  }
  CHECK(stored[0].width == 800);
  CHECK(stored[0].height == 600);
  CHECK(stored[3].width == 200);
  CHECK(stored[3].height == 400);
  CHECK_FALSE(stored[4].width.has_value());

  // Thumbnails: decoded and measured, 320 on the long side, never upscaled.
  struct Want { std::size_t index; int width; int height; const char* loader; };
  for (const Want& want : {Want{0, 320, 240, "VipsForeignLoadJpeg"}, Want{1, 100, 50, "VipsForeignLoadPng"},
                           Want{2, 64, 64, "VipsForeignLoadPng"}, Want{3, 160, 320, "VipsForeignLoadWebp"}}) {
    CAPTURE(want.index);
    MediaContent thumb = core->media().open(*stored[want.index].thumbnail_filename);
    CHECK(thumb.is_thumbnail);
    // A name of its own: libvips caches what it opened by file name.
    const std::string path = dir.file("thumb-" + std::to_string(want.index) +
                                      std::string(media_extension(thumb.type)));
    write_bytes(path, read_all(*thumb.reader));
    const ImageSize size = read_image_size(path);
    CHECK(size.width == want.width);
    CHECK(size.height == want.height);
    CHECK(image_loader(path).starts_with(want.loader));
  }

  const MediaDetail detail = core->media().get(member, stored[6].id);
  CHECK(detail.file.filename == stored[6].filename);
  CHECK(detail.referenced_by.empty());
}

TEST_CASE_FIXTURE(MediaFixture, "media: EXIF orientation is applied and metadata stripped") {
  const auto file = sample("portrait.jpg", [](auto& p) {
    write_image(p, MediaType::kJpg, {640, 480}, 6);  // rotate 90 degrees
  });
  const MediaFile stored = core->media().upload(member, {file}).front();
  CHECK(stored.width == 480);
  CHECK(stored.height == 640);
  MediaContent thumb = core->media().open(*stored.thumbnail_filename);
  const std::string bytes = read_all(*thumb.reader);
  write_bytes(dir.file("t.jpg"), bytes);
  const ImageSize size = read_image_size(dir.file("t.jpg"));
  CHECK(size.width == 240);
  CHECK(size.height == 320);
  CHECK(bytes.find("Exif") == std::string::npos);
}

TEST_CASE_FIXTURE(MediaFixture, "media: refusals store nothing") {
  const auto good = sample("ok.png", [](auto& p) { write_image(p, MediaType::kPng, {10, 10}); });
  const auto text = sample("text.jpg", [](auto& p) { write_text(p, 500); });
  const auto zip = sample("plain.docx", [](auto& p) { write_docx(p, false); });
  const auto exe = sample("a.exe", [](auto& p) {
    write_bytes(p, std::string("MZ\x90\0", 4) + std::string(200, '\0'));
  });
  for (const auto& bad : {text, zip, exe}) {
    CAPTURE(bad.original_filename);
    CHECK(error_code([&] { core->media().upload(member, {good, bad}); }) ==
          ErrorCode::kUnsupportedMediaType);
  }

  const auto exact = sample("exact.pdf", [](auto& p) {
    std::string pdf = "%PDF-1.4\n";
    pdf.resize(kMaxMediaFileBytes, ' ');
    write_bytes(p, pdf);
  });
  const auto over = sample("over.pdf", [](auto& p) {
    std::string pdf = "%PDF-1.4\n";
    pdf.resize(kMaxMediaFileBytes + 1, ' ');
    write_bytes(p, pdf);
  });
  CHECK(error_code([&] { core->media().upload(member, {good, over}); }) ==
        ErrorCode::kPayloadTooLarge);
  CHECK(error_code([&] { core->media().upload(member, {}); }) == ErrorCode::kValidationError);
  CHECK(error_code([&] {
          core->media().upload(member, std::vector<UploadedFile>(11, good));
        }) == ErrorCode::kValidationError);
  const Principal viewer = make_user("vic", Role::kViewer);
  CHECK(error_code([&] { core->media().upload(viewer, {good}); }) ==
        ErrorCode::kPermissionDenied);

  CHECK(files_in(media_dir) == 0);
  CHECK(core->media().list(member, {}, {}).count == 0);

  CHECK(core->media().upload(member, {exact}).front().file_size == kMaxMediaFileBytes);
}

TEST_CASE_FIXTURE(MediaFixture, "media: images over 50 megapixels or undecodable are refused") {
  // 8000 x 7000 = 56 MP: refused from the header alone.
  const auto huge = sample("huge.png", [](auto& p) { write_image(p, MediaType::kPng, {8000, 7000}); });
  CHECK(error_code([&] { core->media().upload(member, {huge}); }) ==
        ErrorCode::kUnsupportedMediaType);
  // A PNG signature and a cut-off body.
  const auto broken = sample("broken.png", [](auto& p) {
    write_image(p, MediaType::kPng, {300, 300});
    const std::string bytes = read_bytes(p);
    write_bytes(p, bytes.substr(0, bytes.size() / 2));
  });
  CHECK(error_code([&] { core->media().upload(member, {broken}); }) ==
        ErrorCode::kUnsupportedMediaType);
  CHECK(files_in(media_dir) == 0);
}

TEST_CASE_FIXTURE(MediaFixture, "media: names are data, never paths") {
  const auto file = sample("../../etc/passwd\x01 \xC3\xA9t\xC3\xA9 \xF0\x9F\x93\xB7.png",
                           [](auto& p) { write_image(p, MediaType::kPng, {5, 5}); });
  const MediaFile stored = core->media().upload(member, {file}).front();
  CHECK(stored.original_filename == "passwd \xC3\xA9t\xC3\xA9 \xF0\x9F\x93\xB7.png");
  CHECK(stored.filename.find('/') == std::string::npos);
  CHECK(error_code([&] { core->media().open("../test.db"); }) == ErrorCode::kNotFound);
  CHECK(error_code([&] { core->media().open(".tmp-x.png"); }) == ErrorCode::kNotFound);
  CHECK(error_code([&] { core->media().open("0123.png"); }) == ErrorCode::kNotFound);
}

TEST_CASE_FIXTURE(MediaFixture, "media: list filters, ordering and pages") {
  const Principal other = make_user("otto", Role::kMember);
  auto png = sample("Cat.png", [](auto& p) { write_image(p, MediaType::kPng, {10, 10}); });
  auto pdf = sample("dog.pdf", [](auto& p) { write_pdf(p); });
  auto doc = sample("catalog.doc", [](auto& p) { write_doc(p); });
  const MediaFile a = core->media().upload(member, {png}).front();
  clock->advance_s(86400);
  const MediaFile b = core->media().upload(other, {pdf}).front();
  clock->advance_s(86400);
  const MediaFile c = core->media().upload(member, {doc}).front();

  auto ids = [&](const QueryParams& params) {
    const MediaListQuery query = parse_media_list_query(params);
    std::vector<std::int64_t> out;
    for (const auto& f : core->media().list(member, query.filter, query.page).items)
      out.push_back(f.id);
    return out;
  };
  CHECK(ids({}) == std::vector<std::int64_t>{c.id, b.id, a.id});
  CHECK(ids({{"file_type", "document"}}) == std::vector<std::int64_t>{c.id, b.id});
  CHECK(ids({{"file_type", "image"}}) == std::vector<std::int64_t>{a.id});
  CHECK(ids({{"user_id", std::to_string(member.user_id)}}) ==
        std::vector<std::int64_t>{c.id, a.id});
  CHECK(ids({{"search", "cat"}}) == std::vector<std::int64_t>{c.id, a.id});
  CHECK(ids({{"search", "%"}}).empty());
  const std::string day2 = format_date(date_from_days(a.upload_date / 86400000 + 1));
  CHECK(ids({{"upload_date_start", day2}, {"upload_date_end", day2}}) ==
        std::vector<std::int64_t>{b.id});
  CHECK(ids({{"ordering", "upload_date"}}) == std::vector<std::int64_t>{a.id, b.id, c.id});
  std::vector<std::int64_t> by_size = {a.id, b.id, c.id};
  std::vector<MediaFile> all = {a, b, c};
  std::sort(by_size.begin(), by_size.end(), [&](auto x, auto y) {
    auto size = [&](std::int64_t id) {
      for (auto& f : all) if (f.id == id) return f.file_size;
      return std::int64_t{0};
    };
    return std::pair(size(x), x) > std::pair(size(y), y);
  });
  CHECK(ids({{"ordering", "-file_size"}}) == by_size);
  CHECK(ids({{"page_size", "2"}, {"page", "2"}}) == std::vector<std::int64_t>{a.id});
  CHECK(error_code([&] { ids({{"page_size", "2"}, {"page", "3"}}); }) == ErrorCode::kNotFound);
}

TEST_CASE_FIXTURE(MediaFixture, "media: delete permissions, files leave after commit, audit") {
  const Principal other = make_user("otto", Role::kMember);
  const Principal manager = make_user("max", Role::kManager);
  auto png = sample("a.png", [](auto& p) { write_image(p, MediaType::kPng, {10, 10}); });
  const MediaFile mine = core->media().upload(member, {png}).front();
  const MediaFile second = core->media().upload(member, {png}).front();
  CHECK(files_in(media_dir) == 4);  // two files, two thumbnails

  CHECK(error_code([&] { core->media().remove(other, mine.id); }) ==
        ErrorCode::kPermissionDenied);
  core->media().remove(member, mine.id);
  CHECK(files_in(media_dir) == 2);
  CHECK(error_code([&] { core->media().get(member, mine.id); }) == ErrorCode::kNotFound);
  CHECK(error_code([&] { core->media().open(mine.filename); }) == ErrorCode::kNotFound);
  core->media().remove(manager, second.id);
  CHECK(files_in(media_dir) == 0);
  CHECK(error_code([&] { core->media().remove(manager, second.id); }) == ErrorCode::kNotFound);

  const Principal admin = make_user("ada", Role::kAdmin);
  AuditFilter filter;
  filter.actions = {kAuditMediaUpload, kAuditMediaDelete};
  const Page<AuditEntry> audit = core->audit().list(admin, filter, {});
  CHECK(audit.count == 4);
  CHECK(audit.items.front().action == kAuditMediaDelete);
  CHECK(audit.items.front().target_type == "media");
  CHECK(audit.items.front().target_id == second.id);
}

TEST_CASE_FIXTURE(MediaFixture, "media: the sweep removes orphans and stale temporaries only") {
  auto png = sample("a.png", [](auto& p) { write_image(p, MediaType::kPng, {10, 10}); });
  const MediaFile kept = core->media().upload(member, {png}).front();
  // What a crash between storing and committing leaves: a file no row
  // names, and a temporary of an interrupted put.
  write_bytes((media_dir / "0123456789abcdef0123456789abcdef.png").string(), "orphan");
  write_bytes((media_dir / ".tmp-fedcba9876543210fedcba9876543210.png").string(), "partial");
  CHECK(files_in(media_dir) == 4);
  // Young objects are left alone: their row may be committing.
  CHECK(core->media().sweep_orphans() == 0);
  CHECK(files_in(media_dir) == 4);
  // The files carry real modification times; the injected clock decides
  // what "old" means.
  clock->set(std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count() +
             2 * 3'600'000);
  CHECK(core->media().sweep_orphans() == 1);
  CHECK(files_in(media_dir) == 2);
  CHECK(core->media().open(kept.filename).reader != nullptr);
  CHECK(core->media().open(*kept.thumbnail_filename).reader != nullptr);
}

TEST_CASE_FIXTURE(MediaFixture, "media: concurrent uploads all land") {
  std::vector<UploadedFile> files;
  for (int i = 0; i < 4; ++i)
    files.push_back(sample("p" + std::to_string(i) + ".jpg",
                           [](auto& p) { write_image(p, MediaType::kJpg, {400, 300}); }));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < 3; ++i) core->media().upload(member, {files[t]});
      } catch (...) {
        ++failures;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(core->media().list(member, {}, {}).count == 12);
  CHECK(files_in(media_dir) == 24);
}

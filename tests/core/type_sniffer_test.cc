#include <doctest/doctest.h>

#include "media/type_sniffer.h"
#include "support/fixtures.h"
#include "support/media_samples.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::optional<MediaType> sniff_file(const std::string& path) {
  const std::string bytes = read_bytes(path);
  return media::sniff_media_type(
      {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

}  // namespace

TEST_CASE("type sniffer: every allowed type is told from its bytes") {
  TempDir dir;
  for (MediaType type : {MediaType::kJpg, MediaType::kPng, MediaType::kGif, MediaType::kWebp}) {
    const std::string path = dir.file("image" + std::string(media_extension(type)));
    write_image(path, type, {40, 30});
    CHECK(sniff_file(path) == type);
  }
  write_pdf(dir.file("a.pdf"));
  CHECK(sniff_file(dir.file("a.pdf")) == MediaType::kPdf);
  write_docx(dir.file("a.docx"));
  CHECK(sniff_file(dir.file("a.docx")) == MediaType::kDocx);
  write_doc(dir.file("a.doc"));
  CHECK(sniff_file(dir.file("a.doc")) == MediaType::kDoc);
}

TEST_CASE("type sniffer: look-alikes are refused") {
  TempDir dir;
  write_text(dir.file("text.jpg"), 1000);
  CHECK(sniff_file(dir.file("text.jpg")) == std::nullopt);
  write_docx(dir.file("plain.docx"), false);
  CHECK(sniff_file(dir.file("plain.docx")) == std::nullopt);
  // An OLE2 file without a Word stream (a spreadsheet's "Workbook").
  write_doc(dir.file("sheet.doc"), u"Workbook");
  CHECK(sniff_file(dir.file("sheet.doc")) == std::nullopt);
  write_bytes(dir.file("program.pdf"), std::string("\x7F" "ELF\x02\x01\x01", 7) + std::string(100, '\0'));
  CHECK(sniff_file(dir.file("program.pdf")) == std::nullopt);
  write_bytes(dir.file("empty"), "");
  CHECK(sniff_file(dir.file("empty")) == std::nullopt);
  // Truncated containers stop at their end instead of reading past it.
  std::string docx = read_bytes((write_docx(dir.file("t.docx")), dir.file("t.docx")));
  for (std::size_t cut : {std::size_t{4}, docx.size() / 2, docx.size() - 1}) {
    const std::string part = docx.substr(0, cut);
    CHECK(media::sniff_media_type({reinterpret_cast<const std::uint8_t*>(part.data()),
                                   part.size()}) == std::nullopt);
  }
  std::string doc = read_bytes((write_doc(dir.file("t.doc")), dir.file("t.doc")));
  const std::string header_only = doc.substr(0, 600);
  CHECK(media::sniff_media_type({reinterpret_cast<const std::uint8_t*>(header_only.data()),
                                 header_only.size()}) == std::nullopt);
}

TEST_CASE("media types: names, MIME types and the list filter") {
  CHECK(media_type_name(MediaType::kDocx) == "docx");
  CHECK(parse_media_type("webp") == MediaType::kWebp);
  CHECK(parse_media_type("exe") == std::nullopt);
  CHECK(media_mime_type(MediaType::kJpg) == "image/jpeg");
  CHECK(is_image(MediaType::kGif));
  CHECK_FALSE(is_image(MediaType::kPdf));

  const MediaFilter filter = parse_media_filter(
      {{"file_type", "image,pdf"}, {"file_type", "png"}, {"user_id", "3"},
       {"upload_date_start", "2025-01-01"}, {"search", " cat "},
       {"ordering", "file_size,-upload_date"}});
  CHECK(filter.file_types == std::vector<MediaType>{MediaType::kJpg, MediaType::kPng,
                                                    MediaType::kGif, MediaType::kWebp,
                                                    MediaType::kPdf});
  CHECK(filter.user_ids == std::vector<std::int64_t>{3});
  CHECK(filter.uploaded_from == Date{2025, 1, 1});
  CHECK(filter.search == "cat");
  CHECK(filter.ordering == std::vector<MediaOrderTerm>{
                               {MediaOrderField::kFileSize, false},
                               {MediaOrderField::kUploadDate, true}});
  CHECK(MediaFilter{}.effective_ordering() ==
        std::vector<MediaOrderTerm>{{MediaOrderField::kUploadDate, true}});

  try {
    parse_media_list_query({{"file_type", "exe"}, {"user_id", "x"},
                            {"ordering", "name"}, {"page", "0"}});
    FAIL("expected a validation error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    CHECK(e.field_errors().count("file_type") == 1);
    CHECK(e.field_errors().count("user_id") == 1);
    CHECK(e.field_errors().count("ordering") == 1);
    CHECK(e.field_errors().count("page") == 1);
  }
}

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "transport/multipart_parser.h"

using namespace taskcore::server::transport;

namespace {

struct Part {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string data;
  bool ended = false;
};

struct Recorder final : MultipartSink {
  std::vector<Part> parts;
  std::size_t largest_piece = 0;
  void begin_part(const MultipartPart& p) override {
    parts.push_back({p.name, p.filename, p.content_type, "", false});
  }
  void part_data(std::string_view bytes) override {
    parts.back().data.append(bytes);
    largest_piece = std::max(largest_piece, bytes.size());
  }
  void end_part() override { parts.back().ended = true; }
};

MultipartStatus parse(const std::string& body, Recorder& sink, std::size_t piece,
                      MultipartLimits limits = {}) {
  MultipartParser parser("b0undary", limits, sink);
  for (std::size_t at = 0; at < body.size(); at += piece) {
    const MultipartStatus status = parser.feed(std::string_view(body).substr(at, piece));
    if (status != MultipartStatus::kOk) return status;
  }
  return parser.finish();
}

const std::string kBody =
    "preamble is ignored\r\n"
    "--b0undary\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".png\"\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "\x89PNG\r\n--b0undarz not a delimiter\r\n"
    "--b0undary  \r\n"
    "content-disposition: form-data; name=file; filename*=UTF-8''%C3%A9t%C3%A9.jpg\r\n"
    "\r\n"
    "\r\n"
    "--b0undary\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "hello\r\n"
    "--b0undary--\r\n"
    "epilogue too";

}  // namespace

TEST_CASE("multipart: parts, names and data whatever the split") {
  for (std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{7}, kBody.size()}) {
    CAPTURE(piece);
    Recorder sink;
    REQUIRE(parse(kBody, sink, piece) == MultipartStatus::kOk);
    REQUIRE(sink.parts.size() == 3);
    CHECK(sink.parts[0].name == "file");
    CHECK(sink.parts[0].filename == "a \"b\".png");
    CHECK(sink.parts[0].content_type == "image/png");
    CHECK(sink.parts[0].data == "\x89PNG\r\n--b0undarz not a delimiter");
    CHECK(sink.parts[1].filename == "\xC3\xA9t\xC3\xA9.jpg");
    CHECK(sink.parts[1].data == "");
    CHECK_FALSE(sink.parts[2].filename.has_value());
    CHECK(sink.parts[2].data == "hello");
    for (const Part& p : sink.parts) CHECK(p.ended);
  }
}

TEST_CASE("multipart: a part is refused as soon as it passes its limit") {
  MultipartLimits limits;
  limits.max_file_bytes = 1000;
  std::string body = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; "
                     "filename=\"x\"\r\n\r\n";
  const std::string exact = body + std::string(1000, 'x') + "\r\n--b0undary--";
  Recorder ok;
  CHECK(parse(exact, ok, 64, limits) == MultipartStatus::kOk);
  CHECK(ok.parts.at(0).data.size() == 1000);

  // Fed in one go up to one byte past the limit, with no end in sight.
  Recorder sink;
  MultipartParser parser("b0undary", limits, sink);
  CHECK(parser.feed(body) == MultipartStatus::kOk);
  CHECK(parser.feed(std::string(1000, 'x')) == MultipartStatus::kOk);
  CHECK(parser.feed(std::string(20, 'x')) == MultipartStatus::kTooLarge);
  CHECK(sink.parts.at(0).data.size() <= 1000);
}

TEST_CASE("multipart: malformed bodies") {
  const std::string head = "--b0undary\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n";
  for (const std::string& body : {
           std::string(""),                                  // nothing
           std::string("no delimiter at all"),
           head + "data but no closing delimiter",
           std::string("--b0undary\r\nX-Other: 1\r\n\r\nx\r\n--b0undary--"),  // no disposition
           std::string("--b0undary\r\nContent-Disposition: attachment; name=f\r\n\r\nx\r\n--b0undary--"),
           std::string("--b0undary\r\nContent-Disposition: form-data; filename=x\r\n\r\nx\r\n--b0undary--"),
           std::string("--b0undary\r\nbroken header line\r\n\r\nx\r\n--b0undary--"),
           std::string("--b0undaryjunk\r\n"),
       }) {
    CAPTURE(body);
    Recorder sink;
    CHECK(parse(body, sink, 5) == MultipartStatus::kMalformed);
  }
  MultipartLimits limits;
  limits.max_parts = 2;
  const std::string three = head + "1\r\n" + head + "2\r\n" + head + "3\r\n--b0undary--";
  Recorder sink;
  CHECK(parse(three, sink, 9, limits) == MultipartStatus::kTooManyParts);
}

TEST_CASE("multipart: boundary from the Content-Type") {
  CHECK(multipart_boundary("multipart/form-data; boundary=abc") == "abc");
  CHECK(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"") == "a b:c");
  CHECK(multipart_boundary("multipart/form-data") == std::nullopt);
  CHECK(multipart_boundary("multipart/mixed; boundary=abc") == std::nullopt);
  CHECK(multipart_boundary("multipart/form-data; boundary=") == std::nullopt);
  CHECK(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')) == std::nullopt);
  CHECK(multipart_boundary("multipart/form-data; boundary=\"bad\x01\"") == std::nullopt);
  CHECK(multipart_boundary("application/json") == std::nullopt);
}

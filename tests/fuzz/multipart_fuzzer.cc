// The multipart/form-data parser over any body, fed in pieces whose sizes
// come from the input: whatever the split, the parts seen must be the same,
// and no part may hand on more bytes than its limit.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "transport/multipart_parser.h"

namespace {

using namespace taskcore::server::transport;

struct Recorder final : MultipartSink {
  std::vector<std::string> parts;
  bool open = false;
  void begin_part(const MultipartPart& part) override {
    if (open) std::abort();
    open = true;
    parts.push_back(part.name + "|" + part.filename.value_or("-") + "|");
  }
  void part_data(std::string_view bytes) override {
    if (!open || bytes.empty()) std::abort();
    parts.back().append(bytes);
  }
  void end_part() override {
    if (!open) std::abort();
    open = false;
  }
};

MultipartLimits small_limits() {
  MultipartLimits limits;
  limits.max_file_bytes = 300;
  limits.max_field_bytes = 100;
  limits.max_parts = 8;
  limits.max_part_head_bytes = 256;
  return limits;
}

std::pair<MultipartStatus, std::vector<std::string>> parse(std::string_view body,
                                                          std::size_t piece) {
  Recorder sink;
  MultipartParser parser("XyZ", small_limits(), sink);
  MultipartStatus status = MultipartStatus::kOk;
  for (std::size_t at = 0; at < body.size() && status == MultipartStatus::kOk; at += piece)
    status = parser.feed(body.substr(at, piece));
  if (status == MultipartStatus::kOk) status = parser.finish();
  return {status, status == MultipartStatus::kOk ? sink.parts : std::vector<std::string>{}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 17;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto whole = parse(body, body.size() + 1);
  const auto split = parse(body, piece);
  if (whole != split) std::abort();
  for (const auto& part : whole.second)
    if (part.size() > 400 + 256) std::abort();
  (void)multipart_boundary(body);
  return 0;
}

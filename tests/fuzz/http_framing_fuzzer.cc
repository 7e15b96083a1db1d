// Fuzzes the strict request framer (server/transport/http_framing.h) with
// any bytes. Beyond crashes and sanitizer reports it checks that framing
// does not depend on how the bytes arrive: fed in pieces of arbitrary
// sizes, the framer must reach the same verdict and the same request end
// as when fed everything at once, and a complete request's offsets must
// agree with its declared framing.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "transport/http_framing.h"

namespace {

using taskcore::server::transport::BodyFraming;
using taskcore::server::transport::FramingLimits;
using taskcore::server::transport::RequestFramer;
using taskcore::server::transport::RequestHead;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

struct Outcome {
  RequestFramer::Status status;
  int refusal;
  std::size_t start, head_end, end;
};

Outcome outcome(const RequestFramer& framer, RequestFramer::Status status) {
  return {status, static_cast<int>(framer.verdict().refusal), framer.start(),
          framer.head_end(), framer.end()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first byte picks the limits (small ones reach every limit check)
  // and seeds the piece sizes.
  FramingLimits limits;
  if (data[0] & 1) {
    limits.max_head_bytes = 200;
    limits.max_request_line_bytes = 64;
    limits.max_header_line_bytes = 64;
    limits.max_header_fields = 4;
    limits.max_path_bytes = 16;
    limits.max_body_bytes = 64;
  }
  std::uint32_t seed = data[0] * 2654435761u + static_cast<std::uint32_t>(size);
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  RequestFramer whole(limits);
  const Outcome at_once = outcome(whole, whole.advance(bytes));

  RequestFramer pieces(limits);
  auto status = RequestFramer::Status::kNeedMore;
  std::size_t fed = 0;
  while (status == RequestFramer::Status::kNeedMore && fed < bytes.size()) {
    seed = seed * 1103515245u + 12345u;
    fed = std::min(bytes.size(), fed + 1 + (seed >> 16) % 17);
    status = pieces.advance(bytes.substr(0, fed));
  }
  const Outcome bitwise = outcome(pieces, status);

  require(at_once.status == bitwise.status);
  require(at_once.refusal == bitwise.refusal);
  if (at_once.status == RequestFramer::Status::kComplete) {
    require(at_once.start == bitwise.start && at_once.head_end == bitwise.head_end &&
            at_once.end == bitwise.end);
    require(at_once.start <= at_once.head_end && at_once.head_end <= at_once.end &&
            at_once.end <= bytes.size());
    const RequestHead& head = whole.head();
    require(bytes.substr(at_once.head_end - 4, 4) == "\r\n\r\n");
    if (head.body == BodyFraming::kNone) require(at_once.end == at_once.head_end);
    if (head.body == BodyFraming::kLength)
      require(at_once.end - at_once.head_end == head.content_length &&
              head.content_length <= limits.max_body_bytes);
    if (head.body == BodyFraming::kChunked)
      require(at_once.end - at_once.head_end >= 5 &&
              bytes.substr(at_once.end - 4, 4) == "\r\n\r\n");
    // The head alone parses the same way.
    RequestHead again;
    require(!taskcore::server::transport::parse_request_head(
        bytes.substr(at_once.start, at_once.head_end - at_once.start), limits, again));
    require(again.body == head.body && again.content_length == head.content_length);
  }
  // Listing fields of any head-shaped prefix never fails.
  std::size_t fields = 0;
  taskcore::server::transport::for_each_header_field(
      bytes, [&](std::string_view name, std::string_view) { fields += !name.empty(); });
  return 0;
}

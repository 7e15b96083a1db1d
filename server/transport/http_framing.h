#pragma once

// Strict HTTP/1.1 request framing (RFC 9112) for the connection layer.
//
// Every request is framed here, from the raw bytes, before cpp-httplib
// parses it: httplib 0.11.4 accepts conflicting Content-Length values,
// Content-Length beside Transfer-Encoding, codings it cannot decode and
// header lines without a colon, so a proxy in front of it and httplib could
// disagree on where a request ends (request smuggling). A request is handed
// to httplib only when this framer has seen all of it and found nothing to
// refuse, so httplib never blocks on the socket and never reads past it.
//
// No allocation, no I/O: the connection layer feeds bytes, the fuzzer
// (tests/fuzz/) feeds anything.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace taskcore::server::transport {

struct FramingLimits {
  // Request line, header fields and the blank line.
  std::size_t max_head_bytes = 32 * 1024;
  // httplib answers 414 itself past 8192; keeping the same bound means the
  // two never disagree.
  std::size_t max_request_line_bytes = 8192;
  std::size_t max_header_line_bytes = 8192;
  std::size_t max_header_fields = 100;
  // The path part of the target. httplib matches routes with std::regex,
  // whose matcher recurses once per character (~330 bytes of stack each):
  // bounding the path bounds the stack a worker needs.
  std::size_t max_path_bytes = 1024;
  // Decoded body bytes, in any framing.
  std::size_t max_body_bytes = 1024 * 1024;
  // POSTs to this path (trailing slash optional) with a Content-Length body
  // may carry up to max_streamed_body_bytes, and are handed on as soon as
  // their head is complete: the handler reads the body as it arrives
  // (uploads), so it is never buffered whole. Empty: none.
  std::string streamed_path;
  std::size_t max_streamed_body_bytes = 0;
};

// Why a request is answered by the connection layer instead of httplib.
// The connection is closed after the answer.
enum class Refusal {
  kNone,
  kMalformed,                   // 400
  kUnroutedMethod,              // 405 with Allow, or 404: the router decides
  kBodyTooLarge,                // 413, before any body byte is read
  kUriTooLong,                  // 414
  kUnsupportedContentEncoding,  // 415: httplib would inflate without limit
  kHeadTooLarge,                // 431
  kUnsupportedTransferCoding,   // 501
  kVersionNotSupported,         // 505
  // Never from the framer: the connection layer's own 503 (a client over
  // its connection cap, buffers over their budget).
  kServiceUnavailable,
};

struct Verdict {
  Refusal refusal = Refusal::kNone;
  // A short sentence for the error body; static storage.
  const char* reason = "";

  explicit operator bool() const { return refusal != Refusal::kNone; }
};

// HTTP status of a refusal (0 for kNone; kUnroutedMethod is 405).
int refusal_status(Refusal refusal);

enum class BodyFraming { kNone, kLength, kChunked };

// The parts of an accepted head the connection layer acts on. Views point
// into the buffer handed to parse_request_head.
struct RequestHead {
  std::string_view method;
  std::string_view target;
  std::string_view version;
  BodyFraming body = BodyFraming::kNone;
  std::uint64_t content_length = 0;
  bool expect_continue = false;
  // The body is read by the handler as it arrives (FramingLimits::streamed_path).
  bool streamed = false;
};

// Checks a complete head: `head` runs from the request line through the
// blank line ("\r\n\r\n"). Fills `out` and returns an empty verdict when
// the request may go on to httplib.
Verdict parse_request_head(std::string_view head, const FramingLimits& limits,
                           RequestHead& out);

// Calls fn(name, value) for each header field of a head (value without
// surrounding whitespace). For refused requests, whose headers httplib never
// parses; lines that are not fields are skipped.
void for_each_header_field(
    std::string_view head,
    const std::function<void(std::string_view, std::string_view)>& fn);

// Finds the end of a chunked body incrementally (RFC 9112 §7.1): sizes in
// hex, optional extensions, no trailer fields (httplib cannot parse them).
class ChunkedBodyScanner {
 public:
  enum class Status { kNeedMore, kComplete, kRefused };

  explicit ChunkedBodyScanner(const FramingLimits& limits) : limits_(&limits) {}

  // `body` holds every body byte received so far; each call passes the same
  // bytes extended. Scans only what is new.
  Status advance(std::string_view body);
  // Raw size of the body once complete.
  std::size_t size() const { return position_; }
  const Verdict& verdict() const { return verdict_; }

 private:
  enum class State { kSize, kExtension, kSizeLf, kData, kDataCr, kDataLf, kTrailer, kEndLf, kDone };
  Status refuse(Refusal refusal, const char* reason);

  const FramingLimits* limits_;
  State state_ = State::kSize;
  std::size_t position_ = 0;
  std::size_t line_bytes_ = 0;
  int size_digits_ = 0;
  std::uint64_t chunk_size_ = 0;
  std::uint64_t remaining_ = 0;
  std::uint64_t data_bytes_ = 0;
  Verdict verdict_;
};

// One request's framing across reads: leading empty lines, the head, then
// the body in whichever framing the head declared.
class RequestFramer {
 public:
  enum class Status { kNeedMore, kComplete, kRefused };

  explicit RequestFramer(const FramingLimits& limits)
      : limits_(&limits), chunked_(limits) {}

  // `buffer` holds this request's bytes received so far (and possibly the
  // start of the next one); each call passes the same bytes extended.
  // Work is proportional to the new bytes, so a head trickled in a byte at
  // a time is still scanned once.
  Status advance(std::string_view buffer);

  bool has_head() const { return head_end_ != 0; }
  // Its string views point into the buffer of the advance() call that
  // completed the head: stale once that buffer has grown.
  const RequestHead& head() const { return head_; }
  // Offsets in the buffer: where the request line starts (after empty
  // lines), where the body starts, and where the request ends.
  std::size_t start() const { return start_; }
  std::size_t head_end() const { return head_end_; }
  std::size_t end() const { return end_; }
  // True until the first byte of the request line arrives.
  bool idle() const { return !started_; }
  const Verdict& verdict() const { return verdict_; }

 private:
  Status scan_head(std::string_view buffer);
  Status refuse(Refusal refusal, const char* reason);

  const FramingLimits* limits_;
  Status status_ = Status::kNeedMore;
  bool started_ = false;
  std::size_t start_ = 0;
  std::size_t scanned_ = 0;
  std::size_t line_start_ = 0;
  bool first_line_ = true;
  std::size_t head_end_ = 0;
  std::size_t end_ = 0;
  RequestHead head_;
  ChunkedBodyScanner chunked_;
  Verdict verdict_;
};

}  // namespace taskcore::server::transport

// The strict request framer on its own: no sockets, just bytes.

#include "transport/http_framing.h"

#include <doctest/doctest.h>

#include <string>

namespace taskcore::server::transport {
namespace {

struct Framed {
  RequestFramer::Status status;
  Refusal refusal = Refusal::kNone;
  std::size_t start = 0;
  std::size_t end = 0;
  BodyFraming body = BodyFraming::kNone;
};

Framed frame_all(std::string_view bytes, const FramingLimits& limits = {}) {
  RequestFramer framer(limits);
  const auto status = framer.advance(bytes);
  return {status, framer.verdict().refusal, framer.start(), framer.end(), framer.head().body};
}

// Fed a byte at a time, as a trickling client sends it.
Framed frame_bytewise(std::string_view bytes, const FramingLimits& limits = {}) {
  RequestFramer framer(limits);
  auto status = RequestFramer::Status::kNeedMore;
  for (std::size_t n = 1; n <= bytes.size() && status == RequestFramer::Status::kNeedMore; ++n)
    status = framer.advance(bytes.substr(0, n));
  return {status, framer.verdict().refusal, framer.start(), framer.end(), framer.head().body};
}

Refusal refusal_of(const std::string& head) {
  const Framed framed = frame_all(head);
  CHECK(framed.status == RequestFramer::Status::kRefused);
  return framed.refusal;
}

const std::string kGet = "GET /api/health/ HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

TEST_CASE("framing: complete requests end where their framing says") {
  Framed framed = frame_all(kGet);
  CHECK(framed.status == RequestFramer::Status::kComplete);
  CHECK(framed.end == kGet.size());

  const std::string post =
      "POST /api/tasks/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  framed = frame_all(post + kGet);  // a pipelined request after it
  CHECK(framed.status == RequestFramer::Status::kComplete);
  CHECK(framed.end == post.size());
  CHECK(framed.body == BodyFraming::kLength);

  const std::string chunked =
      "POST /api/tasks/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";
  framed = frame_all(chunked + kGet);
  CHECK(framed.status == RequestFramer::Status::kComplete);
  CHECK(framed.end == chunked.size());
  CHECK(framed.body == BodyFraming::kChunked);

  // Empty lines before a request line are skipped (RFC 9112 §2.2).
  framed = frame_all("\r\n\r\n" + kGet);
  CHECK(framed.status == RequestFramer::Status::kComplete);
  CHECK(framed.start == 4);
  CHECK(framed.end == 4 + kGet.size());

  // HTTP/1.0 may omit Host.
  CHECK(frame_all("GET / HTTP/1.0\r\n\r\n").status == RequestFramer::Status::kComplete);
}

TEST_CASE("framing: byte-at-a-time arrival frames the same as one read") {
  const std::string requests[] = {
      kGet,
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n",
      "GET /a HTTP/1.1\nHost: x\n\n",
  };
  for (const std::string& request : requests) {
    CAPTURE(request);
    const Framed whole = frame_all(request);
    const Framed bytewise = frame_bytewise(request);
    CHECK(whole.status == bytewise.status);
    CHECK(whole.refusal == bytewise.refusal);
    CHECK(whole.end == bytewise.end);
  }
}

TEST_CASE("framing: smuggling-prone lengths and codings are refused") {
  const std::string start = "POST /api/tasks/ HTTP/1.1\r\nHost: x\r\n";
  CHECK(refusal_of(start + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Content-Length: 5, 5\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Content-Length: abc\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Content-Length: -1\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Content-Length: +5\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Content-Length: 2000000\r\n\r\n") == Refusal::kBodyTooLarge);
  CHECK(refusal_of(start + "Content-Length: 99999999999999999999999\r\n\r\n") ==
        Refusal::kBodyTooLarge);
  CHECK(refusal_of(start + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        Refusal::kMalformed);
  CHECK(refusal_of(start + "Transfer-Encoding: identity\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Transfer-Encoding: gzip\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Transfer-Encoding: chunked, gzip\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Transfer-Encoding: chunked, chunked\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        Refusal::kMalformed);
  CHECK(refusal_of(start + "Transfer-Encoding: identity, chunked\r\n\r\n") ==
        Refusal::kUnsupportedTransferCoding);
  CHECK(refusal_of(start + "Transfer-Encoding: gzip, chunked\r\n\r\n") ==
        Refusal::kUnsupportedTransferCoding);
  CHECK(refusal_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(start + "Content-Length: 3\r\nContent-Encoding: gzip\r\n\r\n") ==
        Refusal::kUnsupportedContentEncoding);
  // Chunked spelled any other way than httplib reads it.
  CHECK(refusal_of(start + "Transfer-Encoding: , chunked\r\n\r\n") == Refusal::kMalformed);
  CHECK(frame_all(start + "Transfer-Encoding: Chunked\r\n\r\n0\r\n\r\n").status ==
        RequestFramer::Status::kComplete);
}

TEST_CASE("framing: malformed heads are refused") {
  CHECK(refusal_of("GET /a HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1\r\nHost: x\r\nName : value\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1\r\nHost: x\r\n: value\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1\r\n\r\n") == Refusal::kMalformed);  // no Host
  CHECK(refusal_of("GET /a HTTP/1.1\nHost: x\n\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1\r\nHost: x\rY: z\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of(std::string("GET /a HTTP/1.1\r\nHost: x\0\r\n\r\n", 29)) == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1\r\nHost: x\r\nA: \x01\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET  /a HTTP/1.1\r\nHost: x\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/1.1 \r\nHost: x\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GARBAGE\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("GET /a HTTP/2.0\r\nHost: x\r\n\r\n") == Refusal::kVersionNotSupported);
  CHECK(refusal_of("GET /a HTTP/1.x\r\nHost: x\r\n\r\n") == Refusal::kMalformed);
  CHECK(refusal_of("PROPFIND /a HTTP/1.1\r\nHost: x\r\n\r\n") == Refusal::kUnroutedMethod);
  CHECK(refusal_of("get /a HTTP/1.1\r\nHost: x\r\n\r\n") == Refusal::kUnroutedMethod);
  CHECK(refusal_of("TRACE /a HTTP/1.1\r\nHost: x\r\n\r\n") == Refusal::kUnroutedMethod);
  // A malformed head is refused as such even with an unknown method.
  CHECK(refusal_of("PROPFIND /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n") == Refusal::kMalformed);
}

TEST_CASE("framing: limits are enforced before the excess arrives") {
  FramingLimits limits;
  limits.max_head_bytes = 256;
  limits.max_path_bytes = 16;
  limits.max_body_bytes = 100;
  limits.max_header_fields = 3;

  RequestFramer framer(limits);
  std::string trickle = "GET /a HTTP/1.1\r\nX: " + std::string(300, 'a');
  CHECK(framer.advance(trickle) == RequestFramer::Status::kRefused);
  CHECK(framer.verdict().refusal == Refusal::kHeadTooLarge);

  CHECK(frame_all("GET /" + std::string(20, 'p') + " HTTP/1.1\r\nHost: x\r\n\r\n", limits).refusal ==
        Refusal::kUriTooLong);
  // The query does not count against the path.
  CHECK(frame_all("GET /p?" + std::string(100, 'q') + " HTTP/1.1\r\nHost: x\r\n\r\n", limits).status ==
        RequestFramer::Status::kComplete);
  CHECK(frame_all("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits).refusal ==
        Refusal::kHeadTooLarge);

  // A chunk bigger than the limit is refused from its size line alone.
  const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  Framed framed = frame_all(head + "65\r\n", limits);
  CHECK(framed.refusal == Refusal::kBodyTooLarge);
  // Chunks adding up past the limit.
  std::string body;
  for (int i = 0; i < 11; ++i) body += "A\r\n0123456789\r\n";
  CHECK(frame_all(head + body, limits).refusal == Refusal::kBodyTooLarge);
  // Trailer fields, a chunk longer than its size, a bad size.
  CHECK(frame_all(head + "0\r\nX: y\r\n\r\n", limits).refusal == Refusal::kMalformed);
  CHECK(frame_all(head + "2\r\nabc\r\n", limits).refusal == Refusal::kMalformed);
  CHECK(frame_all(head + "0x2\r\nab\r\n", limits).refusal == Refusal::kMalformed);
  CHECK(frame_all(head + "\r\n", limits).refusal == Refusal::kMalformed);
  // Incomplete is not refused.
  CHECK(frame_all(head + "5\r\nab", limits).status == RequestFramer::Status::kNeedMore);
}

TEST_CASE("framing: header fields of a head can be listed") {
  std::string seen;
  for_each_header_field("GET / HTTP/1.1\r\nHost: x\r\nX-Request-ID:  abc \r\nbroken\r\n\r\n",
                        [&](std::string_view name, std::string_view value) {
                          seen += std::string(name) + "=" + std::string(value) + ";";
                        });
  CHECK(seen == "Host=x;X-Request-ID=abc;");
}

}  // namespace taskcore::server::transport

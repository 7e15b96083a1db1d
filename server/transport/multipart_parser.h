#pragma once

// An incremental multipart/form-data parser (RFC 7578 over RFC 2046
// framing). Bytes are fed as they arrive and handed on part by part, so an
// upload is never held whole: the caller streams each part where it wants
// (a temporary file) and the parser refuses a part as soon as it passes its
// limit. Outside input: tests/fuzz/multipart_fuzzer.cc.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskcore::server::transport {

struct MultipartPart {
  std::string name;                     // the form field
  std::optional<std::string> filename;  // present for file parts
  std::string content_type;             // as sent; never trusted
};

// Receives the parts in order. Each begin_part is followed by any number
// of part_data calls and one end_part.
class MultipartSink {
 public:
  virtual ~MultipartSink() = default;
  virtual void begin_part(const MultipartPart& part) = 0;
  virtual void part_data(std::string_view bytes) = 0;
  virtual void end_part() = 0;
};

struct MultipartLimits {
  std::uint64_t max_file_bytes = 10485760;   // a part with a filename
  std::uint64_t max_field_bytes = 64 * 1024;  // a part without one
  std::size_t max_parts = 32;
  std::size_t max_part_head_bytes = 16 * 1024;
};

enum class MultipartStatus {
  kOk,
  kMalformed,    // not multipart/form-data as RFC 7578 frames it
  kTooLarge,     // a part passed its limit
  kTooManyParts,
};

class MultipartParser {
 public:
  // `boundary` as multipart_boundary() returns it.
  MultipartParser(std::string boundary, MultipartLimits limits, MultipartSink& sink);

  // Parses `bytes`, the next piece of the body. After a status other than
  // kOk the parser stays failed and ignores what follows.
  MultipartStatus feed(std::string_view bytes);
  // The end of the body: kMalformed unless the closing delimiter was seen.
  MultipartStatus finish();

 private:
  enum class State { kPreamble, kAfterDelimiter, kHead, kBody, kEpilogue, kFailed };

  MultipartStatus fail(MultipartStatus status);
  bool parse_head(std::string_view head);
  bool emit(std::string_view bytes);

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartLimits limits_;
  MultipartSink& sink_;
  State state_ = State::kPreamble;
  MultipartStatus failure_ = MultipartStatus::kOk;
  std::string pending_;  // bytes not yet consumed (at most a chunk + a delimiter)
  MultipartPart part_;
  std::uint64_t part_bytes_ = 0;
  std::size_t parts_ = 0;
};

// The boundary parameter of a multipart/form-data Content-Type (1 to 70
// characters of RFC 2046's bchars), or nullopt.
std::optional<std::string> multipart_boundary(std::string_view content_type);

}  // namespace taskcore::server::transport

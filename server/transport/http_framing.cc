#include "transport/http_framing.h"

#include <algorithm>

namespace taskcore::server::transport {
namespace {

// Raw chunked framing may cost this much beyond the decoded limit (size
// lines, extensions, CRLFs) before the body is refused as too large.
constexpr std::size_t kChunkedOverhead = 64 * 1024;
constexpr std::size_t kMaxChunkLine = 4096;

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
    return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (!is_tchar(c)) return false;
  return true;
}

// Field values: visible ASCII, space, tab and obs-text; never NUL, CR, LF
// or other controls (RFC 9110 §5.5).
bool is_field_value(std::string_view value) {
  for (const char c : value) {
    const auto b = static_cast<unsigned char>(c);
    if (b == '\t') continue;
    if (b < 0x20 || b == 0x7f) return false;
  }
  return true;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && is_ows(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ows(text.back())) text.remove_suffix(1);
  return text;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `lowercase` must be lowercase already.
bool iequals(std::string_view text, std::string_view lowercase) {
  if (text.size() != lowercase.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (lower(text[i]) != lowercase[i]) return false;
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Calls fn(line) for each line of the head after the request line, up to
// (not including) the blank line. Lines exclude their CRLF.
template <class Fn>
void for_each_field_line(std::string_view head, Fn fn) {
  std::size_t pos = head.find("\r\n");
  if (pos == std::string_view::npos) return;
  pos += 2;
  while (pos < head.size()) {
    const std::size_t eol = head.find("\r\n", pos);
    if (eol == std::string_view::npos || eol == pos) return;
    fn(head.substr(pos, eol - pos));
    pos = eol + 2;
  }
}

Verdict make_verdict(Refusal refusal, const char* reason) { return Verdict{refusal, reason}; }

// RFC 9112 §6.3: only a final "chunked" frames a request body; chunked may
// be applied once. Codings before it are understood as framing but not
// implemented here (501). The single-line, exact spelling keeps httplib,
// which compares the whole first header value with "chunked", in step.
Verdict check_transfer_encoding(std::string_view head, int lines,
                                std::string_view first_value) {
  int elements = 0;
  int chunked = 0;
  bool last_chunked = false;
  for_each_field_line(head, [&](std::string_view line) {
    const auto colon = line.find(':');
    if (!iequals(line.substr(0, colon), "transfer-encoding")) return;
    std::string_view list = line.substr(colon + 1);
    while (true) {
      const auto comma = list.find(',');
      const std::string_view element = trim_ows(list.substr(0, comma));
      if (!element.empty()) {
        ++elements;
        last_chunked = iequals(element, "chunked");
        if (last_chunked) ++chunked;
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  });
  if (elements == 0 || !last_chunked)
    return make_verdict(Refusal::kMalformed, "Transfer-Encoding must end with chunked.");
  if (chunked > 1)
    return make_verdict(Refusal::kMalformed, "Transfer-Encoding applies chunked twice.");
  if (elements > 1)
    return make_verdict(Refusal::kUnsupportedTransferCoding, "Unsupported transfer coding.");
  if (lines > 1 || !iequals(first_value, "chunked"))
    return make_verdict(Refusal::kMalformed, "Malformed Transfer-Encoding header.");
  return {};
}

bool routed_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "POST" || method == "PUT" ||
         method == "PATCH" || method == "DELETE" || method == "OPTIONS";
}

}  // namespace

int refusal_status(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNone: return 0;
    case Refusal::kMalformed: return 400;
    case Refusal::kUnroutedMethod: return 405;
    case Refusal::kBodyTooLarge: return 413;
    case Refusal::kUriTooLong: return 414;
    case Refusal::kUnsupportedContentEncoding: return 415;
    case Refusal::kHeadTooLarge: return 431;
    case Refusal::kUnsupportedTransferCoding: return 501;
    case Refusal::kVersionNotSupported: return 505;
    case Refusal::kServiceUnavailable: return 503;
  }
  return 400;
}

Verdict parse_request_head(std::string_view head, const FramingLimits& limits,
                           RequestHead& out) {
  out = RequestHead{};
  const auto eol = head.find("\r\n");
  if (eol == std::string_view::npos)
    return make_verdict(Refusal::kMalformed, "Malformed request line.");
  const std::string_view line = head.substr(0, eol);
  if (line.size() + 2 > limits.max_request_line_bytes)
    return make_verdict(Refusal::kUriTooLong, "Request URI too long.");

  // method SP request-target SP HTTP-version, single spaces only.
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos)
    return make_verdict(Refusal::kMalformed, "Malformed request line.");
  out.method = line.substr(0, sp1);
  out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  out.version = line.substr(sp2 + 1);
  if (!is_token(out.method) || out.target.empty())
    return make_verdict(Refusal::kMalformed, "Malformed request line.");
  for (const char c : out.target)
    if (c <= 0x20 || c >= 0x7f) return make_verdict(Refusal::kMalformed, "Malformed request line.");
  const std::string_view v = out.version;
  const bool version_shaped = v.size() == 8 && v.substr(0, 5) == "HTTP/" && v[5] >= '0' &&
                              v[5] <= '9' && v[6] == '.' && v[7] >= '0' && v[7] <= '9';
  if (!version_shaped) return make_verdict(Refusal::kMalformed, "Malformed request line.");
  if (v != "HTTP/1.1" && v != "HTTP/1.0")
    return make_verdict(Refusal::kVersionNotSupported, "HTTP version not supported.");
  if (out.target.substr(0, out.target.find_first_of("?#")).size() > limits.max_path_bytes)
    return make_verdict(Refusal::kUriTooLong, "Request URI too long.");

  std::string_view path = out.target.substr(0, out.target.find_first_of("?#"));
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const bool may_stream = !limits.streamed_path.empty() && out.method == "POST" &&
                          path == limits.streamed_path;
  const std::size_t max_length =
      may_stream ? std::max(limits.max_streamed_body_bytes, limits.max_body_bytes)
                 : limits.max_body_bytes;

  std::size_t fields = 0;
  int hosts = 0, lengths = 0, codings = 0;
  std::string_view length_value, coding_value;
  bool foreign_content_coding = false;
  Verdict fault;
  for_each_field_line(head, [&](std::string_view field) {
    if (fault) return;
    if (++fields > limits.max_header_fields) {
      fault = make_verdict(Refusal::kHeadTooLarge, "Too many header fields.");
      return;
    }
    // No obsolete line folding, no space before the colon, no empty name.
    const auto colon = field.find(':');
    if (colon == std::string_view::npos || !is_token(field.substr(0, colon))) {
      fault = make_verdict(Refusal::kMalformed, "Malformed header field.");
      return;
    }
    const std::string_view name = field.substr(0, colon);
    const std::string_view value = trim_ows(field.substr(colon + 1));
    if (!is_field_value(value)) {
      fault = make_verdict(Refusal::kMalformed, "Malformed header field.");
      return;
    }
    switch (lower(name.front())) {
      case 'h':
        if (iequals(name, "host")) ++hosts;
        break;
      case 'c':
        if (iequals(name, "content-length")) {
          ++lengths;
          length_value = value;
        } else if (iequals(name, "content-encoding")) {
          foreign_content_coding |= !iequals(value, "identity");
        }
        break;
      case 't':
        if (iequals(name, "transfer-encoding")) {
          if (++codings == 1) coding_value = value;
        }
        break;
      case 'e':
        if (iequals(name, "expect")) out.expect_continue = iequals(value, "100-continue");
        break;
      default:
        break;
    }
  });
  if (fault) return fault;

  const bool http10 = out.version == "HTTP/1.0";
  if (hosts > 1) return make_verdict(Refusal::kMalformed, "More than one Host header.");
  if (hosts == 0 && !http10) return make_verdict(Refusal::kMalformed, "Missing Host header.");

  if (codings > 0) {
    if (http10)
      return make_verdict(Refusal::kMalformed, "Transfer-Encoding in an HTTP/1.0 request.");
    if (lengths > 0)
      return make_verdict(Refusal::kMalformed, "Content-Length with Transfer-Encoding.");
    if (Verdict te = check_transfer_encoding(head, codings, coding_value)) return te;
    out.body = BodyFraming::kChunked;
  } else if (lengths > 1) {
    return make_verdict(Refusal::kMalformed, "More than one Content-Length header.");
  } else if (lengths == 1) {
    if (length_value.empty()) return make_verdict(Refusal::kMalformed, "Invalid Content-Length.");
    std::uint64_t length = 0;
    bool too_large = false;
    for (const char c : length_value) {
      if (c < '0' || c > '9') return make_verdict(Refusal::kMalformed, "Invalid Content-Length.");
      length = length * 10 + static_cast<std::uint64_t>(c - '0');
      too_large |= length > max_length;
      if (too_large) length = max_length + 1;  // no overflow
    }
    if (too_large) return make_verdict(Refusal::kBodyTooLarge, "Request body is too large.");
    out.content_length = length;
    out.body = length > 0 ? BodyFraming::kLength : BodyFraming::kNone;
    out.streamed = may_stream && length > 0;
  }
  if (out.body == BodyFraming::kNone) out.expect_continue = false;
  if (foreign_content_coding && out.body != BodyFraming::kNone)
    return make_verdict(Refusal::kUnsupportedContentEncoding,
                   "Unsupported Content-Encoding; send the body uncompressed.");
  if (!routed_method(out.method)) return make_verdict(Refusal::kUnroutedMethod, "");
  return {};
}

void for_each_header_field(
    std::string_view head,
    const std::function<void(std::string_view, std::string_view)>& fn) {
  for_each_field_line(head, [&](std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return;
    fn(line.substr(0, colon), trim_ows(line.substr(colon + 1)));
  });
}

ChunkedBodyScanner::Status ChunkedBodyScanner::refuse(Refusal refusal, const char* reason) {
  verdict_ = make_verdict(refusal, reason);
  state_ = State::kDone;
  return Status::kRefused;
}

ChunkedBodyScanner::Status ChunkedBodyScanner::advance(std::string_view body) {
  if (verdict_) return Status::kRefused;
  if (state_ == State::kDone) return Status::kComplete;
  const std::size_t max_raw = 2 * limits_->max_body_bytes + kChunkedOverhead;
  while (position_ < body.size()) {
    if (position_ >= max_raw)
      return refuse(Refusal::kBodyTooLarge, "Request body is too large.");
    const char c = body[position_];
    switch (state_) {
      case State::kSize: {
        const int digit = hex_digit(c);
        if (digit >= 0) {
          chunk_size_ = chunk_size_ * 16 + static_cast<std::uint64_t>(digit);
          ++size_digits_;
          if (chunk_size_ > limits_->max_body_bytes)
            return refuse(Refusal::kBodyTooLarge, "Request body is too large.");
        } else if (size_digits_ == 0) {
          return refuse(Refusal::kMalformed, "Malformed chunk size.");
        } else if (c == ';' || is_ows(c)) {
          state_ = State::kExtension;
        } else if (c == '\r') {
          state_ = State::kSizeLf;
        } else {
          return refuse(Refusal::kMalformed, "Malformed chunk size.");
        }
        break;
      }
      case State::kExtension:
        if (c == '\r') {
          state_ = State::kSizeLf;
        } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
          return refuse(Refusal::kMalformed, "Malformed chunk extension.");
        }
        break;
      case State::kSizeLf:
        if (c != '\n') return refuse(Refusal::kMalformed, "Malformed chunk size.");
        if (chunk_size_ == 0) {
          state_ = State::kTrailer;
        } else {
          if (data_bytes_ + chunk_size_ > limits_->max_body_bytes)
            return refuse(Refusal::kBodyTooLarge, "Request body is too large.");
          data_bytes_ += chunk_size_;
          remaining_ = chunk_size_;
          state_ = State::kData;
        }
        chunk_size_ = 0;
        size_digits_ = 0;
        line_bytes_ = 0;
        ++position_;
        continue;
      case State::kData: {
        const auto available = static_cast<std::uint64_t>(body.size() - position_);
        const auto taken = remaining_ < available ? remaining_ : available;
        position_ += static_cast<std::size_t>(taken);
        remaining_ -= taken;
        if (remaining_ == 0) state_ = State::kDataCr;
        continue;
      }
      case State::kDataCr:
        if (c != '\r') return refuse(Refusal::kMalformed, "Chunk data longer than its size.");
        state_ = State::kDataLf;
        break;
      case State::kDataLf:
        if (c != '\n') return refuse(Refusal::kMalformed, "Chunk data longer than its size.");
        state_ = State::kSize;
        ++position_;
        continue;
      case State::kTrailer:
        if (c != '\r') return refuse(Refusal::kMalformed, "Trailer fields are not accepted.");
        state_ = State::kEndLf;
        break;
      case State::kEndLf:
        if (c != '\n') return refuse(Refusal::kMalformed, "Malformed end of chunked body.");
        ++position_;
        state_ = State::kDone;
        return Status::kComplete;
      case State::kDone:
        return Status::kComplete;
    }
    ++position_;
    if (++line_bytes_ > kMaxChunkLine)
      return refuse(Refusal::kMalformed, "Chunk size line too long.");
  }
  return Status::kNeedMore;
}

RequestFramer::Status RequestFramer::refuse(Refusal refusal, const char* reason) {
  verdict_ = make_verdict(refusal, reason);
  status_ = Status::kRefused;
  return status_;
}

RequestFramer::Status RequestFramer::scan_head(std::string_view buffer) {
  while (scanned_ < buffer.size()) {
    const char c = buffer[scanned_];
    if (!started_) {
      // RFC 9112 §2.2: empty lines before a request line are ignored.
      if (c == '\r') {
        if (scanned_ + 1 >= buffer.size()) return Status::kNeedMore;
        if (buffer[scanned_ + 1] != '\n') return refuse(Refusal::kMalformed, "Malformed request line.");
        scanned_ += 2;
        start_ = line_start_ = scanned_;
        if (start_ > limits_->max_head_bytes)
          return refuse(Refusal::kHeadTooLarge, "Request head too large.");
        continue;
      }
      if (c == '\n') return refuse(Refusal::kMalformed, "Malformed request line.");
      started_ = true;
    }
    // Lines end in CRLF only: a bare CR or LF would let another parser see
    // different lines than httplib does.
    if (c == '\0') return refuse(Refusal::kMalformed, "Malformed request head.");
    const bool after_cr = scanned_ > line_start_ && buffer[scanned_ - 1] == '\r';
    if (c == '\n') {
      if (!after_cr) return refuse(Refusal::kMalformed, "Lines must end with CRLF.");
      const std::size_t line_bytes = scanned_ + 1 - line_start_;
      ++scanned_;
      if (line_bytes == 2 && !first_line_) {
        head_end_ = scanned_;
        return Status::kComplete;
      }
      first_line_ = false;
      line_start_ = scanned_;
      continue;
    }
    if (after_cr) return refuse(Refusal::kMalformed, "Lines must end with CRLF.");
    const std::size_t line_bytes = scanned_ + 1 - line_start_;
    if (first_line_ && line_bytes > limits_->max_request_line_bytes)
      return refuse(Refusal::kUriTooLong, "Request URI too long.");
    if (!first_line_ && line_bytes > limits_->max_header_line_bytes)
      return refuse(Refusal::kHeadTooLarge, "Header field too large.");
    if (scanned_ + 1 - start_ > limits_->max_head_bytes)
      return refuse(Refusal::kHeadTooLarge, "Request head too large.");
    ++scanned_;
  }
  return Status::kNeedMore;
}

RequestFramer::Status RequestFramer::advance(std::string_view buffer) {
  if (status_ != Status::kNeedMore) return status_;
  if (head_end_ == 0) {
    if (scan_head(buffer) != Status::kComplete) return status_;
    if (Verdict v = parse_request_head(buffer.substr(start_, head_end_ - start_), *limits_, head_))
      return refuse(v.refusal, v.reason);
  }
  switch (head_.body) {
    case BodyFraming::kNone:
      end_ = head_end_;
      break;
    case BodyFraming::kLength:
      // A streamed body is the handler's to read (Connection::read_streamed_body).
      if (head_.streamed) {
        end_ = head_end_;
        break;
      }
      if (buffer.size() - head_end_ < head_.content_length) return Status::kNeedMore;
      end_ = head_end_ + static_cast<std::size_t>(head_.content_length);
      break;
    case BodyFraming::kChunked:
      switch (chunked_.advance(buffer.substr(head_end_))) {
        case ChunkedBodyScanner::Status::kNeedMore: return Status::kNeedMore;
        case ChunkedBodyScanner::Status::kRefused:
          return refuse(chunked_.verdict().refusal, chunked_.verdict().reason);
        case ChunkedBodyScanner::Status::kComplete:
          end_ = head_end_ + chunked_.size();
          break;
      }
      break;
  }
  status_ = Status::kComplete;
  return status_;
}

}  // namespace taskcore::server::transport

#include "transport/multipart_parser.h"

#include <algorithm>
#include <cctype>

namespace taskcore::server::transport {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One `;`-separated parameter list (Content-Disposition, Content-Type),
// values as tokens or quoted strings. Calls visit(name, value) for each;
// false when the syntax is broken.
template <class Visit>
bool for_each_parameter(std::string_view text, Visit visit) {
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == ';')) ++at;
    if (at >= text.size()) break;
    const std::size_t eq = text.find('=', at);
    if (eq == std::string_view::npos) return false;
    const std::string name = lower(trim(text.substr(at, eq - at)));
    at = eq + 1;
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    std::string value;
    if (at < text.size() && text[at] == '"') {
      ++at;
      bool closed = false;
      while (at < text.size()) {
        const char c = text[at++];
        if (c == '\\' && at < text.size()) {
          value.push_back(text[at++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value.push_back(c);
        }
      }
      if (!closed) return false;
    } else {
      const std::size_t end = std::min(text.find(';', at), text.size());
      value = std::string(trim(text.substr(at, end - at)));
      at = end;
    }
    if (name.empty()) return false;
    visit(name, std::move(value));
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value: UTF-8''percent-encoded. Other charsets are refused.
std::optional<std::string> decode_ext_value(std::string_view value) {
  const std::size_t quote = value.find("''");
  if (quote == std::string_view::npos || lower(value.substr(0, quote)) != "utf-8")
    return std::nullopt;
  std::string out;
  for (std::size_t i = quote + 2; i < value.size(); ++i) {
    if (value[i] != '%') {
      out.push_back(value[i]);
      continue;
    }
    if (i + 2 >= value.size()) return std::nullopt;
    const int hi = hex_value(value[i + 1]);
    const int lo = hex_value(value[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool is_bchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  if (lower(trim(content_type.substr(0, semicolon))) != "multipart/form-data")
    return std::nullopt;
  if (semicolon == std::string_view::npos) return std::nullopt;
  std::optional<std::string> boundary;
  if (!for_each_parameter(content_type.substr(semicolon + 1),
                          [&](const std::string& name, std::string value) {
                            if (name == "boundary") boundary = std::move(value);
                          }))
    return std::nullopt;
  if (!boundary || boundary->empty() || boundary->size() > 70 || boundary->back() == ' ' ||
      !std::all_of(boundary->begin(), boundary->end(), is_bchar))
    return std::nullopt;
  return boundary;
}

MultipartParser::MultipartParser(std::string boundary, MultipartLimits limits,
                                 MultipartSink& sink)
    : delimiter_("\r\n--" + boundary), limits_(limits), sink_(sink) {
  // The first delimiter may open the body without a line break before it.
  pending_ = "\r\n";
}

MultipartStatus MultipartParser::fail(MultipartStatus status) {
  state_ = State::kFailed;
  failure_ = status;
  pending_.clear();
  return status;
}

bool MultipartParser::emit(std::string_view bytes) {
  if (bytes.empty()) return true;
  part_bytes_ += bytes.size();
  const std::uint64_t limit =
      part_.filename ? limits_.max_file_bytes : limits_.max_field_bytes;
  if (part_bytes_ > limit) return false;
  sink_.part_data(bytes);
  return true;
}

bool MultipartParser::parse_head(std::string_view head) {
  part_ = MultipartPart{};
  bool form_data = false;
  bool has_name = false;
  std::optional<std::string> plain_filename, ext_filename;
  while (!head.empty()) {
    const std::size_t end = head.find("\r\n");
    const std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view{} : head.substr(end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string field = lower(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (field == "content-disposition") {
      const std::size_t semicolon = value.find(';');
      if (lower(trim(value.substr(0, semicolon))) != "form-data") return false;
      form_data = true;
      if (semicolon == std::string_view::npos) continue;
      const bool ok = for_each_parameter(
          value.substr(semicolon + 1), [&](const std::string& name, std::string v) {
            if (name == "name") {
              part_.name = std::move(v);
              has_name = true;
            } else if (name == "filename") {
              plain_filename = std::move(v);
            } else if (name == "filename*") {
              ext_filename = decode_ext_value(v);
            }
          });
      if (!ok) return false;
    } else if (field == "content-type") {
      part_.content_type = std::string(value);
    }
  }
  if (!form_data || !has_name) return false;
  part_.filename = ext_filename ? ext_filename : plain_filename;
  return true;
}

MultipartStatus MultipartParser::feed(std::string_view bytes) {
  if (state_ == State::kFailed) return failure_;
  if (state_ == State::kEpilogue) return MultipartStatus::kOk;
  pending_.append(bytes);
  std::size_t at = 0;
  for (;;) {
    const std::string_view rest = std::string_view(pending_).substr(at);
    if (state_ == State::kPreamble || state_ == State::kBody) {
      const std::size_t found = rest.find(delimiter_);
      if (found == std::string_view::npos) {
        // Keep what could be the start of a delimiter split across feeds.
        const std::size_t keep = std::min(rest.size(), delimiter_.size() - 1);
        if (state_ == State::kBody && !emit(rest.substr(0, rest.size() - keep)))
          return fail(MultipartStatus::kTooLarge);
        at += rest.size() - keep;
        break;
      }
      if (state_ == State::kBody) {
        if (!emit(rest.substr(0, found))) return fail(MultipartStatus::kTooLarge);
        sink_.end_part();
      }
      at += found + delimiter_.size();
      state_ = State::kAfterDelimiter;
    } else if (state_ == State::kAfterDelimiter) {
      // "--" closes the body; otherwise optional blanks, then CRLF.
      if (rest.size() < 2) break;
      if (rest.substr(0, 2) == "--") {
        state_ = State::kEpilogue;
        at = pending_.size();
        break;
      }
      std::size_t i = 0;
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
      if (i > 64) return fail(MultipartStatus::kMalformed);
      if (rest.size() < i + 2) break;
      if (rest.substr(i, 2) != "\r\n") return fail(MultipartStatus::kMalformed);
      if (++parts_ > limits_.max_parts) return fail(MultipartStatus::kTooManyParts);
      at += i + 2;
      state_ = State::kHead;
    } else if (state_ == State::kHead) {
      // A part's head ends with an empty line; an empty head is just one.
      std::size_t end;
      std::string_view head;
      if (rest.starts_with("\r\n")) {
        end = 2;
      } else {
        const std::size_t found = rest.find("\r\n\r\n");
        if (found == std::string_view::npos) {
          // A head at the limit may still be followed by a partial "\r\n\r\n".
          if (rest.size() >= limits_.max_part_head_bytes + 4)
            return fail(MultipartStatus::kMalformed);
          break;
        }
        if (found > limits_.max_part_head_bytes) return fail(MultipartStatus::kMalformed);
        head = rest.substr(0, found);
        end = found + 4;
      }
      if (!parse_head(head)) return fail(MultipartStatus::kMalformed);
      part_bytes_ = 0;
      sink_.begin_part(part_);
      at += end;
      state_ = State::kBody;
    } else {
      break;
    }
  }
  pending_.erase(0, at);
  return MultipartStatus::kOk;
}

MultipartStatus MultipartParser::finish() {
  if (state_ == State::kFailed) return failure_;
  if (state_ != State::kEpilogue) return fail(MultipartStatus::kMalformed);
  return MultipartStatus::kOk;
}

}  // namespace taskcore::server::transport

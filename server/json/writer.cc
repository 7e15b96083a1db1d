#include "json/writer.h"

#include <charconv>

namespace taskcore::server {

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_in_container_) out_.push_back(',');
  first_in_container_ = false;
}

JsonWriter& JsonWriter::open(char bracket) {
  separate();
  out_.push_back(bracket);
  first_in_container_ = true;
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  out_.push_back(bracket);
  first_in_container_ = false;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  out_.push_back('"');
  out_.append(name);
  out_.append("\":");
  after_key_ = true;
  return *this;
}

namespace {

bool needs_escape(char c) {
  return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

}  // namespace

JsonWriter& JsonWriter::string(std::string_view value) {
  separate();
  for (const char c : value) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Non-ASCII text: nlohmann validates the UTF-8 (replacing what is
      // malformed) and escapes it; ASCII, the common case, stays here.
      out_.append(dump_json(Json(value)));
      return *this;
    }
  }
  out_.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (!needs_escape(c)) continue;
    out_.append(value.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      case '\b': out_.append("\\b"); break;
      case '\f': out_.append("\\f"); break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out_.append("\\u00");
        out_.push_back(kHex[(c >> 4) & 0xf]);
        out_.push_back(kHex[c & 0xf]);
      }
    }
  }
  out_.append(value.data() + run_start, value.size() - run_start);
  out_.push_back('"');
  return *this;
}

JsonWriter& JsonWriter::number(std::int64_t value) {
  separate();
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_.append(json);
  return *this;
}

}  // namespace taskcore::server

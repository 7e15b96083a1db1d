#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/body.h"

namespace taskcore::server {

// Appends JSON straight to one string. The hot responses (task pages and
// tasks) use it instead of building an nlohmann DOM: with 100k tasks, perf
// showed the DOM's allocations and its dump taking about a third of the CPU
// of a list request. Other responses keep nlohmann and can be spliced in
// with raw().
//
// Keys must be plain ASCII names that need no escaping (ours are literals).
class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 256) { out_.reserve(reserve); }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view value);
  JsonWriter& number(std::int64_t value);
  JsonWriter& null();
  // An already serialized JSON value.
  JsonWriter& raw(std::string_view json);

  template <class T, class Write>
  JsonWriter& optional(const std::optional<T>& value, Write&& write) {
    if (!value) return null();
    write(*this, *value);
    return *this;
  }
  JsonWriter& optional_string(const std::optional<std::string>& value) {
    return value ? string(*value) : null();
  }
  JsonWriter& optional_number(const std::optional<std::int64_t>& value) {
    return value ? number(*value) : null();
  }

  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  // Writes the comma before a value or key, unless it directly follows an
  // opening bracket or a key.
  void separate();

  std::string out_;
  bool first_in_container_ = true;
  bool after_key_ = false;
};

}  // namespace taskcore::server

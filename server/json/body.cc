#include "json/body.h"

#include <cmath>
#include <limits>

namespace taskcore::server {
namespace {

// Python's type names, because the message is DRF's.
const char* python_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::array: return "list";
    case Json::value_t::string: return "str";
    case Json::value_t::boolean: return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "int";
    case Json::value_t::number_float: return "float";
    case Json::value_t::null: return "NoneType";
    default: return "dict";
  }
}

std::optional<std::int64_t> parse_decimal(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  if (text.empty() || text.size() > 20) return std::nullopt;
  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
    if (text.empty()) return std::nullopt;
  }
  // Accumulate negatively so INT64_MIN parses too.
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (value < (std::numeric_limits<std::int64_t>::min() + digit) / 10)
      return std::nullopt;
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == std::numeric_limits<std::int64_t>::min()) return std::nullopt;
    value = -value;
  }
  return value;
}

}  // namespace

Json parse_json_object(std::string_view body, std::size_t limit) {
  if (body.size() > limit)
    throw Error(ErrorCode::kPayloadTooLarge, "Request body is too large.");
  if (body.empty()) return Json::object();
  // nlohmann skips a byte-order mark; Python's json.loads, and so DRF,
  // refuses it.
  if (body.substr(0, 3) == "\xEF\xBB\xBF")
    throw Error(ErrorCode::kParseError,
                "JSON parse error - Unexpected UTF-8 BOM (decode using utf-8-sig).");
  Json parsed;
  try {
    parsed = Json::parse(body.begin(), body.end());
  } catch (const Json::parse_error& e) {
    // e.what() quotes the offending bytes back; give the position only.
    throw Error(ErrorCode::kParseError,
                "JSON parse error - invalid JSON at byte " +
                    std::to_string(e.byte) + ".");
  } catch (const Json::exception&) {
    // out_of_range.406: a number too large even for a double.
    throw Error(ErrorCode::kParseError,
                "JSON parse error - number out of range.");
  }
  if (!parsed.is_object()) {
    throw Error::validation(
        {{"non_field_errors",
          {std::string("Invalid data. Expected a dictionary, but got ") +
           python_type_name(parsed) + "."}}},
        "Invalid data.");
  }
  return parsed;
}

std::string dump_json(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<std::string> decode_string(const Json& value,
                                         const std::string& field,
                                         FieldErrors& errors) {
  if (value.is_string()) return value.get<std::string>();
  errors[field].push_back(kNotAString);
  return std::nullopt;
}

std::optional<std::int64_t> decode_int64(const Json& value,
                                         const std::string& field,
                                         FieldErrors& errors) {
  std::optional<std::int64_t> result;
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    result = value.get<std::int64_t>();
  } else if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      result = static_cast<std::int64_t>(u);
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    // Past 2^53 a double no longer names one integer: 9223372036854775809
    // would arrive as 2^63. Only exact values count.
    constexpr double kExact = 9007199254740992.0;  // 2^53
    if (std::isfinite(d) && d == std::trunc(d) && d >= -kExact && d <= kExact)
      result = static_cast<std::int64_t>(d);
  } else if (value.is_string()) {
    result = parse_decimal(value.get_ref<const std::string&>());
  }
  if (!result) errors[field].push_back(kNotAnInteger);
  return result;
}

std::optional<bool> decode_bool(const Json& value, const std::string& field,
                                FieldErrors& errors) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer()) {
    const auto i = value.get<std::int64_t>();
    if (i == 0 || i == 1) return i == 1;
  }
  if (value.is_string()) {
    // DRF BooleanField.TRUE_VALUES / FALSE_VALUES.
    const auto& s = value.get_ref<const std::string&>();
    for (const char* t : {"t", "T", "y", "Y", "yes", "Yes", "YES", "true",
                          "True", "TRUE", "on", "On", "ON", "1"})
      if (s == t) return true;
    for (const char* f : {"f", "F", "n", "N", "no", "No", "NO", "false",
                          "False", "FALSE", "off", "Off", "OFF", "0"})
      if (s == f) return false;
  }
  errors[field].push_back(kNotABoolean);
  return std::nullopt;
}

void read_nullable_string(const Json& object, const std::string& field,
                          Nullable<std::string>& out, FieldErrors& errors) {
  const auto it = object.find(field);
  if (it == object.end()) return;
  if (it->is_null()) {
    out = std::optional<std::string>{};
    return;
  }
  if (auto text = decode_string(*it, field, errors)) out = std::move(*text);
}

void read_nullable_id(const Json& object, const std::string& field,
                      Nullable<std::int64_t>& out, FieldErrors& errors) {
  const auto it = object.find(field);
  if (it == object.end()) return;
  if (it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
    out = std::optional<std::int64_t>{};
    return;
  }
  if (auto id = decode_int64(*it, field, errors)) out = *id;
}

std::string text_field(const Json& object, const char* field, FieldErrors& errors) {
  const auto it = object.find(field);
  if (it == object.end()) return {};
  if (it->is_null()) {
    errors[field].push_back(kMayNotBeNull);
    return {};
  }
  return decode_string(*it, field, errors).value_or(std::string());
}

}  // namespace taskcore::server

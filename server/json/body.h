#pragma once

// Request-body decoding shared by the routes: the JSON object check and the
// DRF-worded type errors for single fields.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "taskcore/error.h"
#include "taskcore/task.h"

namespace taskcore::server {

using Json = nlohmann::json;

inline constexpr std::size_t kJsonBodyLimit = 1024 * 1024;  // bytes

inline constexpr const char* kNotAString = "Not a valid string.";
inline constexpr const char* kNotAnInteger = "A valid integer is required.";
inline constexpr const char* kNotABoolean = "Must be a valid boolean.";
inline constexpr const char* kRequired = "This field is required.";
inline constexpr const char* kMayNotBeNull = "This field may not be null.";

// Parses a request body that must be a JSON object. An empty body is an
// empty object (DRF reads an absent JSON body as {}). Throws:
//   payload_too_large  over `limit` bytes,
//   parse_error        not JSON, or not UTF-8,
//   validation_error   JSON that is not an object (non_field_errors).
Json parse_json_object(std::string_view body, std::size_t limit = kJsonBodyLimit);

// Serializes for a response. Invalid UTF-8 (which the core never produces)
// is replaced rather than allowed to throw mid-response.
std::string dump_json(const Json& value);

// Field decoders: each records a DRF-worded message under `field` in
// `errors` and returns nullopt when the value has the wrong JSON type.
// Absent fields are the caller's business (check `object.contains`).
std::optional<std::string> decode_string(const Json& value,
                                         const std::string& field,
                                         FieldErrors& errors);
// Integers, integral floats and digit strings (DRF's IntegerField and
// PrimaryKeyRelatedField accept all three); anything outside int64 is an
// error, never a crash.
std::optional<std::int64_t> decode_int64(const Json& value,
                                         const std::string& field,
                                         FieldErrors& errors);
// true/false, 1/0 and DRF's textual spellings ("true", "False", "1", ...).
std::optional<bool> decode_bool(const Json& value, const std::string& field,
                                FieldErrors& errors);

// The text of `field` of `object`; "" when absent. A null or a non-string
// is recorded in `errors` (the core then reports the rest).
std::string text_field(const Json& object, const char* field, FieldErrors& errors);

// Reads the related-object id `field` of `object` into a
// Nullable<std::int64_t>: absent stays absent; null and "" are an explicit
// null (DRF's related fields read "" so: forms send it for "none").
void read_nullable_id(const Json& object, const std::string& field,
                      Nullable<std::int64_t>& out, FieldErrors& errors);

// Reads `field` of `object` into a Nullable<std::string>: absent stays
// absent, null is an explicit null, non-strings become decode errors.
void read_nullable_string(const Json& object, const std::string& field,
                          Nullable<std::string>& out, FieldErrors& errors);

}  // namespace taskcore::server

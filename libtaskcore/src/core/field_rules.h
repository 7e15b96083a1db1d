#pragma once

// Field checks every write rule words the same way (DRF's messages).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "taskcore/error.h"
#include "taskcore/task.h"
#include "util/text.h"

namespace taskcore {

inline constexpr const char* kRequired = "This field is required.";
inline constexpr const char* kNotNull = "This field may not be null.";
inline constexpr const char* kNotBlank = "This field may not be blank.";
// DRF's ProhibitNullCharactersValidator, on every CharField.
inline constexpr const char* kNullCharacter = "Null characters are not allowed.";

// DRF's PrimaryKeyRelatedField message.
std::string invalid_pk(std::int64_t id);
std::string too_long(std::size_t limit);

// Trimmed text within `limit` characters, or an error recorded.
std::optional<std::string> checked_text(const std::string& field, const std::string& raw,
                                        std::size_t limit, FieldErrorCollector& errors);

// A choice field: absent leaves `target`, null and unknown names are
// recorded.
template <class Enum, class Parse>
void apply_choice(const std::string& field, const Nullable<std::string>& raw,
                  Parse parse, Enum& target, FieldErrorCollector& errors) {
  if (!raw) return;
  if (!raw->has_value()) {
    errors.add(field, kNotNull);
    return;
  }
  if (auto value = parse(**raw)) {
    target = *value;
  } else {
    const std::string shown =
        util::is_valid_utf8(**raw) ? **raw : std::string("(invalid text)");
    errors.add(field, "\"" + shown + "\" is not a valid choice.");
  }
}

}  // namespace taskcore

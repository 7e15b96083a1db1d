#include "core/field_rules.h"

namespace taskcore {

std::string invalid_pk(std::int64_t id) {
  return "Invalid pk \"" + std::to_string(id) + "\" - object does not exist.";
}

std::string too_long(std::size_t limit) {
  return "Ensure this field has no more than " + std::to_string(limit) + " characters.";
}

std::optional<std::string> checked_text(const std::string& field, const std::string& raw,
                                        std::size_t limit, FieldErrorCollector& errors) {
  if (!util::is_valid_utf8(raw)) {
    errors.add(field, "Invalid UTF-8 text.");
    return std::nullopt;
  }
  if (raw.find('\0') != std::string::npos) {
    errors.add(field, kNullCharacter);
    return std::nullopt;
  }
  std::string text(util::trim(raw));
  if (util::utf8_length(text) > limit) {
    errors.add(field, too_long(limit));
    return std::nullopt;
  }
  return text;
}

}  // namespace taskcore

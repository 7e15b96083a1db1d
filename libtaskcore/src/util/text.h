#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskcore::util {

// Strips ASCII and Unicode-agnostic blanks (space, tab, CR, LF, FF, VT).
std::string_view trim(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

// Number of code points in valid UTF-8 text.
std::size_t utf8_length(std::string_view text);

// A base-10 integer filling the whole text, within int64; nullopt otherwise.
std::optional<std::int64_t> parse_int64(std::string_view text);

std::string ascii_lower(std::string_view text);

}  // namespace taskcore::util

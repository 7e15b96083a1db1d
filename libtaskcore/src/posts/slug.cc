#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "taskcore/post.h"

namespace taskcore {
namespace {

// ASCII spellings of U+00C0..U+017F (Latin-1 Supplement and Latin
// Extended-A), lower case: what NFKD plus dropping the marks gives, and
// the usual transliteration for letters NFKD leaves alone (ß, æ, ø, ł,
// đ, þ). "" drops the character (×, ÷).
constexpr std::array<std::string_view, 0x180 - 0xC0> kLatinFolds = {
    // U+00C0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

enum class Kind { kText, kSpace, kDrop };

// What one code point becomes: ASCII text, a word break, or nothing.
Kind fold(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
      return Kind::kText;
    }
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      out.push_back(c);
      return Kind::kText;
    }
    // As Django's slugify: whitespace and hyphens separate words; other
    // punctuation vanishes ("What's new?" -> "whats-new").
    if (c == ' ' || c == '-' || (c >= '\t' && c <= '\r')) return Kind::kSpace;
    return Kind::kDrop;
  }
  if (cp >= 0xC0 && cp < 0x180) {
    out += kLatinFolds[cp - 0xC0];
    return Kind::kText;
  }
  switch (cp) {
    case 0x218: case 0x219: out.push_back('s'); return Kind::kText;  // Ș ș
    case 0x21A: case 0x21B: out.push_back('t'); return Kind::kText;  // Ț ț
    case 0xA0: case 0x3000: return Kind::kSpace;  // no-break, ideographic
    default: break;
  }
  if (cp >= 0x2000 && cp <= 0x200A) return Kind::kSpace;  // typographic spaces
  if (cp >= 0x2010 && cp <= 0x2015) return Kind::kSpace;  // dashes
  return Kind::kDrop;  // combining marks, other scripts, symbols
}

// The next code point of valid UTF-8 `text` at `i` (advanced past it).
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (i + length > text.size()) length = text.size() - i;
  char32_t cp = length == 1 ? lead : lead & (0x3F >> (length - 1));
  for (std::size_t k = 1; k < length; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  i += length;
  return cp;
}

}  // namespace

std::string slugify(std::string_view title) {
  std::string slug;
  bool pending_hyphen = false;
  std::string piece;
  for (std::size_t i = 0; i < title.size() && slug.size() < kMaxSlugBaseLength;) {
    piece.clear();
    const Kind kind = fold(next_code_point(title, i), piece);
    if (kind == Kind::kSpace) {
      pending_hyphen = !slug.empty();
    } else if (kind == Kind::kText && !piece.empty()) {
      if (pending_hyphen) slug.push_back('-');
      pending_hyphen = false;
      slug += piece;
    }
  }
  if (slug.size() > kMaxSlugBaseLength) slug.resize(kMaxSlugBaseLength);
  // Django strips both from the ends; a truncation may leave either.
  const auto first = slug.find_first_not_of("-_");
  if (first == std::string::npos) return "post";
  const auto last = slug.find_last_not_of("-_");
  return slug.substr(first, last - first + 1);
}

}  // namespace taskcore

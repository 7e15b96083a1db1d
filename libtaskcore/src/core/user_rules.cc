#include "core/user_rules.h"

#include <algorithm>

#include "util/text.h"

namespace taskcore {
namespace {

constexpr const char* kRequired = "This field is required.";
constexpr std::size_t kMaxEmailLength = 254;
constexpr std::size_t kMaxPasswordLength = 1024;
// DRF's ProhibitNullCharactersValidator, on every CharField.
constexpr const char* kNullCharacter = "Null characters are not allowed.";

bool has_null(const std::string& text) { return text.find('\0') != std::string::npos; }

bool is_username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '@' ||
         c == '+' || c == '-';
}

bool is_email_char(char c) {
  return c > 0x20 && c < 0x7f && c != '@' && c != '(' && c != ')' &&
         c != ',' && c != ';' && c != ':' && c != '<' && c != '>' &&
         c != '[' && c != ']' && c != '\\' && c != '"';
}

bool valid_domain(std::string_view domain) {
  // Like Django's EmailValidator: a dotted domain, or the local host.
  if (domain == "localhost") return true;
  if (domain.empty() || domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    const auto dot = domain.find('.', start);
    const auto label = domain.substr(start, dot == std::string_view::npos
                                                ? std::string_view::npos
                                                : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-')
      return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-'))
        return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

}  // namespace

std::string checked_username(const std::string& raw,
                             FieldErrorCollector& errors) {
  const std::string username(util::trim(raw));
  if (has_null(username)) {
    errors.add("username", kNullCharacter);
  } else if (username.empty()) {
    errors.add("username", kRequired);
  } else if (username.size() < 3) {
    errors.add("username", "Ensure this field has at least 3 characters.");
  } else if (username.size() > 150) {
    errors.add("username", "Ensure this field has no more than 150 characters.");
  } else if (!std::all_of(username.begin(), username.end(), is_username_char)) {
    errors.add("username",
               "Enter a valid username. This value may contain only letters, "
               "numbers, and @/./+/-/_ characters.");
  }
  return username;
}

std::string checked_email(const std::string& raw, FieldErrorCollector& errors) {
  std::string email(util::trim(raw));
  if (email.empty()) {
    errors.add("email", kRequired);
    return email;
  }
  if (has_null(email)) {
    errors.add("email", kNullCharacter);
    return email;
  }
  const auto at = email.rfind('@');
  const bool ok =
      email.size() <= kMaxEmailLength && at != std::string::npos && at > 0 &&
      std::all_of(email.begin(), email.begin() + static_cast<long>(at),
                  is_email_char) &&
      email.front() != '.' && email[at - 1] != '.' &&
      email.find("..") == std::string::npos &&
      valid_domain(std::string_view(email).substr(at + 1));
  if (!ok) {
    errors.add("email", "Enter a valid email address.");
    return email;
  }
  // Like Django's normalize_email: the domain part is case-insensitive.
  return email.substr(0, at + 1) + util::ascii_lower(email.substr(at + 1));
}

void check_password(const std::string& password, FieldErrorCollector& errors) {
  if (password.empty()) {
    errors.add("password", kRequired);
    return;
  }
  if (!util::is_valid_utf8(password)) {
    errors.add("password", "Invalid UTF-8 text.");
    return;
  }
  if (has_null(password)) {
    errors.add("password", kNullCharacter);
    return;
  }
  if (util::utf8_length(password) < 8)
    errors.add("password",
               "This password is too short. It must contain at least 8 "
               "characters.");
  if (password.size() > kMaxPasswordLength)
    errors.add("password", "Ensure this field has no more than 1024 characters.");
  if (std::all_of(password.begin(), password.end(),
                  [](char c) { return c >= '0' && c <= '9'; }))
    errors.add("password", "This password is entirely numeric.");
}

}  // namespace taskcore

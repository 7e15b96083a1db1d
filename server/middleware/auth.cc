#include "middleware/auth.h"

#include <httplib.h>

#include <string_view>
#include <vector>

#include "taskcore/error.h"

namespace taskcore::server {
namespace {

std::vector<std::string_view> split_blanks(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) parts.push_back(text.substr(start, i - start));
  }
  return parts;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

AuthenticatedUser authenticate_request(AuthService& auth,
                                       const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  const auto parts = split_blanks(header);
  if (parts.empty() || !iequals(parts[0], "Bearer"))
    throw Error(ErrorCode::kNotAuthenticated,
                "Authentication credentials were not provided.");
  if (parts.size() != 2)
    throw Error::authentication_failed(
        "Authorization header must contain two space-delimited values");
  return auth.authenticate(parts[1]);
}

}  // namespace taskcore::server

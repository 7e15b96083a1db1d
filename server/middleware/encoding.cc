#include "middleware/encoding.h"

#include <httplib.h>

#include <optional>

namespace taskcore::server {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view text, std::string_view lowercase) {
  if (text.size() != lowercase.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] + 32) : text[i];
    if (c != lowercase[i]) return false;
  }
  return true;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
// thousandths.
std::optional<int> parse_qvalue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) return value;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  int scale = 100;
  for (const char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value <= 1000 ? std::optional<int>(value) : std::nullopt;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  int gzip = -1, identity = -1, any = -1;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view element = accept_encoding.substr(0, comma);
    accept_encoding.remove_prefix(comma == std::string_view::npos ? accept_encoding.size()
                                                                  : comma + 1);
    const auto semicolon = element.find(';');
    const std::string_view coding = trim(element.substr(0, semicolon));
    int q = 1000;
    if (semicolon != std::string_view::npos) {
      const std::string_view param = trim(element.substr(semicolon + 1));
      if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=')
        continue;  // not a weight we understand: ignore the element
      const auto parsed = parse_qvalue(trim(param.substr(2)));
      if (!parsed) continue;
      q = *parsed;
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip = q;
    else if (iequals(coding, "identity")) identity = q;
    else if (coding == "*") any = q;
  }
  const int weight = gzip >= 0 ? gzip : any;
  return weight > 0 && weight >= identity;
}

void negotiate_encoding(httplib::Request& req) {
  const auto found = req.headers.find("Accept-Encoding");
  if (found == req.headers.end()) return;
  if (accepts_gzip(found->second)) {
    found->second = "gzip";
  } else {
    req.headers.erase(found);
  }
}

void add_vary_accept_encoding(httplib::Response& res) {
  const auto type = res.headers.find("Content-Type");
  if (type == res.headers.end() || type->second != "application/json") return;
  if (!res.has_header("Vary")) res.set_header("Vary", "Accept-Encoding");
}

}  // namespace taskcore::server

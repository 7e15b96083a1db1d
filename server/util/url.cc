#include "util/url.h"

#include <algorithm>
#include <map>

namespace taskcore::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 +
                                      hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
        (b >= '0' && b <= '9') || b == '_' || b == '.' || b == '-' || b == '~') {
      out.push_back(c);
    } else if (b == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

QueryItems parse_query_string(std::string_view query) {
  QueryItems items;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos)
        items.emplace_back(url_decode(pair), std::string());
      else
        items.emplace_back(url_decode(pair.substr(0, eq)),
                           url_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return items;
}

QueryParams to_query_params(const QueryItems& items) {
  QueryParams params;
  for (const auto& [name, value] : items) params.add(name, value);
  return params;
}

std::pair<std::string_view, std::string_view> split_target(
    std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

std::string url_with_param(std::string_view base, const QueryItems& items,
                           std::string_view name,
                           const std::optional<std::string>& value) {
  // parse_qs groups by key in first-seen order; urlencode(sorted(...)) then
  // orders the keys. A stable sort by key gives the same sequence.
  QueryItems kept;
  for (const auto& item : items)
    if (item.first != name) kept.push_back(item);
  if (value) kept.emplace_back(std::string(name), *value);
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string url(base);
  char separator = '?';
  for (const auto& [key, val] : kept) {
    url.push_back(separator);
    separator = '&';
    url += url_encode(key);
    url.push_back('=');
    url += url_encode(val);
  }
  return url;
}

}  // namespace taskcore::server

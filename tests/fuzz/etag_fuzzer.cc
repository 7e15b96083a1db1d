// If-None-Match values from any client (stored media, the API schema):
// the list walk must stay in bounds, and its answer must follow from the
// header: a header naming the tag matches, and one holding neither the tag
// nor "*" never does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "util/etag.h"

using taskcore::server::etag_matches;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line is the entity tag, the rest the header value.
  const std::size_t newline = input.find('\n');
  const std::string_view etag =
      newline == std::string_view::npos ? std::string_view("\"abc\"") : input.substr(0, newline);
  const std::string_view header =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  const bool matched = etag_matches(header, etag);
  const bool could_match = header.find('*') != std::string_view::npos ||
                           (!etag.empty() && header.find(etag) != std::string_view::npos) ||
                           etag.empty();
  if (matched && !could_match) std::abort();

  const bool trimmable =
      etag.find_first_of(", \t") == std::string_view::npos && !etag.starts_with("W/");
  if (trimmable && !etag.empty() &&
      !etag_matches(std::string(header) + ", " + std::string(etag), etag))
    std::abort();
  return 0;
}

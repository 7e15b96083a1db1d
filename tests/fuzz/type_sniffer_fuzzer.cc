// The media type sniffer over any bytes: it must never read outside them,
// loop without end or claim a type whose signature the bytes lack.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "media/type_sniffer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto type = taskcore::media::sniff_media_type({data, size});
  if (!type) return 0;
  const auto starts = [&](const char* prefix, std::size_t n) {
    return size >= n && std::memcmp(data, prefix, n) == 0;
  };
  bool consistent = false;
  switch (*type) {
    case taskcore::MediaType::kJpg: consistent = starts("\xFF\xD8\xFF", 3); break;
    case taskcore::MediaType::kPng: consistent = starts("\x89PNG", 4); break;
    case taskcore::MediaType::kGif: consistent = starts("GIF8", 4); break;
    case taskcore::MediaType::kWebp: consistent = starts("RIFF", 4); break;
    case taskcore::MediaType::kPdf: consistent = starts("%PDF-", 5); break;
    case taskcore::MediaType::kDoc: consistent = starts("\xD0\xCF\x11\xE0", 4); break;
    case taskcore::MediaType::kDocx: consistent = starts("PK\x03\x04", 4); break;
  }
  if (!consistent) std::abort();
  return 0;
}

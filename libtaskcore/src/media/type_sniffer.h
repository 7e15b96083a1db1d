#pragma once

// Decides a media type from a file's bytes alone. Outside input: every
// offset read from the bytes is bounds-checked (tests/fuzz/type_sniffer_fuzzer.cc).

#include <cstdint>
#include <optional>
#include <span>

#include "taskcore/media.h"

namespace taskcore::media {

// The allowed type the bytes really are, or nullopt. DOC is an OLE2
// compound file whose directory holds a "WordDocument" stream; DOCX is a
// ZIP whose central directory holds "word/document.xml". A plain ZIP or
// OLE2 file (a spreadsheet, say) is not a document.
std::optional<MediaType> sniff_media_type(std::span<const std::uint8_t> bytes);

}  // namespace taskcore::media

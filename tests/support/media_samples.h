#pragma once

// Real files of every media type, made by the tests themselves: images
// through libvips, and small writers for a minimal PDF, a DOCX zip and an
// OLE2 compound DOC.

#include <cstdint>
#include <string>

#include "taskcore/media.h"

namespace taskcore::testing {

struct ImageSize {
  int width = 0;
  int height = 0;
};

// An image of `type` (jpg, png, gif or webp) of `size`, a colour gradient.
// `exif_orientation` (1-8) is written into a JPEG's EXIF.
void write_image(const std::string& path, MediaType type, ImageSize size,
                 int exif_orientation = 1);
// The width and height libvips decodes from `path`, and its loader name.
ImageSize read_image_size(const std::string& path);
std::string image_loader(const std::string& path);

// A one-page PDF with a text object and a valid xref table.
void write_pdf(const std::string& path);
// A stored (uncompressed) ZIP holding [Content_Types].xml, _rels/.rels and
// word/document.xml; with `word_document` false, a plain ZIP of a text file.
void write_docx(const std::string& path, bool word_document = true);
// An OLE2 compound file (v3, 512-byte sectors) whose directory holds a
// "WordDocument" stream of 4096 bytes (`stream_name` replaces the name).
void write_doc(const std::string& path, const std::u16string& stream_name = u"WordDocument");
// `size` bytes of text.
void write_text(const std::string& path, std::size_t size, char fill = 'a');
void write_bytes(const std::string& path, const std::string& bytes);
std::string read_bytes(const std::string& path);

}  // namespace taskcore::testing

#include "support/media_samples.h"

#include <vips/vips.h>

#include <array>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace taskcore::testing {
namespace {

void init_vips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("taskcore-tests") != 0) throw std::runtime_error("vips init");
  });
}

[[noreturn]] void vips_failed(const char* what) {
  std::string message = std::string(what) + ": " + vips_error_buffer();
  vips_error_clear();
  throw std::runtime_error(message);
}

struct Ref {
  VipsImage* image = nullptr;
  ~Ref() {
    if (image) g_object_unref(image);
  }
};

std::uint32_t crc32(const std::string& data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put16(std::string& out, std::uint32_t v) {
  out.push_back(char(v & 0xFF));
  out.push_back(char((v >> 8) & 0xFF));
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

}  // namespace

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("write " + path);
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_text(const std::string& path, std::size_t size, char fill) {
  write_bytes(path, std::string(size, fill));
}

void write_image(const std::string& path, MediaType type, ImageSize size,
                 int exif_orientation) {
  init_vips();
  Ref x, scaled, bands, image;
  // A gradient, so encoders cannot shrink it to nothing and decoders have
  // real pixels to check.
  if (vips_xyz(&x.image, size.width, size.height, nullptr) != 0) vips_failed("xyz");
  const double scale[] = {255.0 / std::max(1, size.width), 255.0 / std::max(1, size.height)};
  const double offset[] = {0, 0};
  if (vips_linear(x.image, &scaled.image, scale, offset, 2, "uchar", TRUE, nullptr) != 0)
    vips_failed("linear");
  Ref first;
  if (vips_extract_band(scaled.image, &first.image, 0, nullptr) != 0) vips_failed("band");
  VipsImage* three[] = {scaled.image, first.image};
  if (vips_bandjoin(three, &image.image, 2, nullptr) != 0) vips_failed("bandjoin");
  image.image->Type = VIPS_INTERPRETATION_sRGB;
  int saved = 0;
  switch (type) {
    case MediaType::kJpg:
      if (exif_orientation != 1) {
        Ref copy;
        if (vips_copy(image.image, &copy.image, nullptr) != 0) vips_failed("copy");
        vips_image_set_int(copy.image, VIPS_META_ORIENTATION, exif_orientation);
        saved = vips_jpegsave(copy.image, path.c_str(), nullptr);
      } else {
        saved = vips_jpegsave(image.image, path.c_str(), nullptr);
      }
      break;
    case MediaType::kPng: saved = vips_pngsave(image.image, path.c_str(), nullptr); break;
    case MediaType::kGif: saved = vips_gifsave(image.image, path.c_str(), nullptr); break;
    case MediaType::kWebp: saved = vips_webpsave(image.image, path.c_str(), nullptr); break;
    default: throw std::runtime_error("not an image type");
  }
  if (saved != 0) vips_failed("save");
}

ImageSize read_image_size(const std::string& path) {
  init_vips();
  Ref image;
  image.image = vips_image_new_from_file(path.c_str(), nullptr);
  if (image.image == nullptr) vips_failed("load");
  // Decode every pixel: a thumbnail must be a whole image, not a header.
  double average = 0;
  if (vips_avg(image.image, &average, nullptr) != 0) vips_failed("decode");
  return {vips_image_get_width(image.image), vips_image_get_height(image.image)};
}

std::string image_loader(const std::string& path) {
  init_vips();
  const char* loader = vips_foreign_find_load(path.c_str());
  vips_error_clear();
  return loader ? loader : "";
}

void write_pdf(const std::string& path) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  const std::array<std::string, 4> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
      "<< /Length 35 >>\nstream\nBT /F1 12 Tf 10 50 Td (hi) Tj ET\nendstream",
  };
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 5\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char line[21];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  write_bytes(path, pdf);
}

void write_docx(const std::string& path, bool word_document) {
  std::vector<std::pair<std::string, std::string>> entries;
  if (word_document) {
    entries = {
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas."
         "openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" "
         "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
         "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
        {"_rels/.rels",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://"
         "schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" "
         "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
         "officeDocument\" Target=\"word/document.xml\"/></Relationships>"},
        {"word/document.xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas."
         "openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Hello"
         "</w:t></w:r></w:p></w:body></w:document>"},
    };
  } else {
    entries = {{"notes.txt", "just a zip"}};
  }
  std::string zip, directory;
  for (const auto& [name, data] : entries) {
    const std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
    const std::uint32_t crc = crc32(data);
    put32(zip, 0x04034b50);
    put16(zip, 20); put16(zip, 0); put16(zip, 0);  // version, flags, stored
    put16(zip, 0); put16(zip, 0x21);                // time, date (1980-01-01)
    put32(zip, crc); put32(zip, data.size()); put32(zip, data.size());
    put16(zip, name.size()); put16(zip, 0);
    zip += name + data;
    put32(directory, 0x02014b50);
    put16(directory, 20); put16(directory, 20); put16(directory, 0); put16(directory, 0);
    put16(directory, 0); put16(directory, 0x21);
    put32(directory, crc); put32(directory, data.size()); put32(directory, data.size());
    put16(directory, name.size()); put16(directory, 0); put16(directory, 0);
    put16(directory, 0); put16(directory, 0); put32(directory, 0);
    put32(directory, offset);
    directory += name;
  }
  const std::uint32_t directory_offset = static_cast<std::uint32_t>(zip.size());
  zip += directory;
  put32(zip, 0x06054b50);
  put16(zip, 0); put16(zip, 0);
  put16(zip, entries.size()); put16(zip, entries.size());
  put32(zip, directory.size()); put32(zip, directory_offset);
  put16(zip, 0);
  write_bytes(path, zip);
}

void write_doc(const std::string& path, const std::u16string& stream_name) {
  constexpr std::uint32_t kFree = 0xFFFFFFFF, kEnd = 0xFFFFFFFE, kFatSector = 0xFFFFFFFD;
  constexpr std::uint32_t kNoStream = 0xFFFFFFFF;
  std::string header;
  header += std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  header += std::string(16, '\0');             // CLSID
  put16(header, 0x3E); put16(header, 3);       // minor, major version
  put16(header, 0xFFFE); put16(header, 9);     // byte order, sector shift
  put16(header, 6); header += std::string(6, '\0');
  put32(header, 0);                            // directory sectors (v3: 0)
  put32(header, 1);                            // FAT sectors
  put32(header, 1);                            // first directory sector
  put32(header, 0);                            // transaction
  put32(header, 4096);                         // mini stream cutoff
  put32(header, kEnd); put32(header, 0);       // mini FAT
  put32(header, kEnd); put32(header, 0);       // DIFAT
  put32(header, 0);                            // DIFAT[0]: the FAT is sector 0
  for (int i = 1; i < 109; ++i) put32(header, kFree);

  std::string fat;
  put32(fat, kFatSector);
  put32(fat, kEnd);  // the directory
  for (std::uint32_t s = 2; s < 9; ++s) put32(fat, s + 1);
  put32(fat, kEnd);  // sector 9 ends the stream (sectors 2..9, 4096 bytes)
  while (fat.size() < 512) put32(fat, kFree);

  auto entry = [](const std::u16string& name, std::uint8_t type, std::uint32_t child,
                  std::uint32_t start, std::uint32_t size) {
    std::string e;
    for (char16_t c : name) put16(e, c);
    e.resize(64, '\0');
    put16(e, name.empty() ? 0 : (name.size() + 1) * 2);
    e.push_back(char(type));
    e.push_back(char(1));  // black
    put32(e, kNoStream); put32(e, kNoStream); put32(e, child);
    e += std::string(16 + 4 + 16, '\0');  // CLSID, state, times
    put32(e, start); put32(e, size); put32(e, 0);
    return e;
  };
  std::string directory = entry(u"Root Entry", 5, 1, kEnd, 0) +
                          entry(stream_name, 2, kNoStream, 2, 4096) +
                          entry(u"", 0, kNoStream, 0, 0) + entry(u"", 0, kNoStream, 0, 0);
  std::string stream(4096, '\0');
  stream[0] = char(0xEC);  // the FIB's wIdent
  stream[1] = char(0xA5);
  write_bytes(path, header + fat + directory + stream);
}

}  // namespace taskcore::testing

#include "media/type_sniffer.h"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

namespace taskcore::media {
namespace {

using Bytes = std::span<const std::uint8_t>;

bool starts_with(Bytes bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() &&
         std::memcmp(bytes.data(), prefix.data(), prefix.size()) == 0;
}

// Little-endian reads that answer nullopt past the end.
std::optional<std::uint32_t> u16_at(Bytes bytes, std::uint64_t offset) {
  if (offset + 2 > bytes.size()) return std::nullopt;
  return std::uint32_t(bytes[offset]) | std::uint32_t(bytes[offset + 1]) << 8;
}
std::optional<std::uint32_t> u32_at(Bytes bytes, std::uint64_t offset) {
  if (offset + 4 > bytes.size()) return std::nullopt;
  return std::uint32_t(bytes[offset]) | std::uint32_t(bytes[offset + 1]) << 8 |
         std::uint32_t(bytes[offset + 2]) << 16 | std::uint32_t(bytes[offset + 3]) << 24;
}

// ---- ZIP (DOCX) ----

constexpr std::string_view kDocxMainPart = "word/document.xml";

bool zip_holds_word_document(Bytes bytes) {
  if (!starts_with(bytes, "PK\x03\x04")) return false;
  // The end-of-central-directory record sits within the last 22 + 65535
  // bytes (its comment is at most 65535 long).
  constexpr std::size_t kEocdSize = 22;
  if (bytes.size() < kEocdSize) return false;
  const std::size_t lowest = bytes.size() > kEocdSize + 65535 ? bytes.size() - kEocdSize - 65535 : 0;
  for (std::size_t at = bytes.size() - kEocdSize + 1; at-- > lowest;) {
    if (!(bytes[at] == 'P' && bytes[at + 1] == 'K' && bytes[at + 2] == 5 && bytes[at + 3] == 6))
      continue;
    const auto entries = u16_at(bytes, at + 10);
    const auto directory = u32_at(bytes, at + 16);
    if (!entries || !directory) return false;
    std::uint64_t entry = *directory;
    for (std::uint32_t i = 0; i < *entries; ++i) {
      const auto signature = u32_at(bytes, entry);
      const auto name_length = u16_at(bytes, entry + 28);
      const auto extra_length = u16_at(bytes, entry + 30);
      const auto comment_length = u16_at(bytes, entry + 32);
      const auto local_header = u32_at(bytes, entry + 42);
      if (!signature || *signature != 0x02014b50 || !name_length || !extra_length ||
          !comment_length || !local_header)
        return false;
      const std::uint64_t name_at = entry + 46;
      if (name_at + *name_length > bytes.size()) return false;
      const std::string_view name(reinterpret_cast<const char*>(bytes.data() + name_at),
                                  *name_length);
      if (name == kDocxMainPart) {
        // The entry must point at a real local header, not just be named.
        const auto local_signature = u32_at(bytes, *local_header);
        return local_signature && *local_signature == 0x04034b50;
      }
      entry = name_at + *name_length + *extra_length + *comment_length;
    }
    return false;
  }
  return false;
}

// ---- OLE2 compound file (DOC) ----

constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kMaxRegularSector = 0xFFFFFFFA;

class CompoundFile {
 public:
  explicit CompoundFile(Bytes bytes) : bytes_(bytes) {}

  bool holds_word_stream() {
    if (bytes_.size() < 512) return false;  // the header sector
    const auto shift = u16_at(bytes_, 0x1E);
    if (!shift || (*shift != 9 && *shift != 12)) return false;
    sector_size_ = std::uint64_t{1} << *shift;
    if (!read_fat_sector_ids()) return false;
    const auto first_directory = u32_at(bytes_, 0x30);
    if (!first_directory) return false;
    // A chain can never be longer than the file has sectors; a longer one
    // loops.
    const std::uint64_t max_steps = bytes_.size() / sector_size_ + 1;
    std::uint32_t sector = *first_directory;
    for (std::uint64_t step = 0; sector <= kMaxRegularSector && step < max_steps; ++step) {
      const std::uint64_t start = (std::uint64_t{sector} + 1) * sector_size_;
      if (start + sector_size_ > bytes_.size()) return false;
      for (std::uint64_t entry = start; entry < start + sector_size_; entry += 128)
        if (is_word_stream_entry(entry)) return true;
      const auto next = next_sector(sector);
      if (!next) return false;
      sector = *next;
    }
    return false;
  }

 private:
  bool read_fat_sector_ids() {
    const auto fat_count = u32_at(bytes_, 0x2C);
    const auto difat_first = u32_at(bytes_, 0x44);
    if (!fat_count || !difat_first) return false;
    const std::uint64_t limit = bytes_.size() / sector_size_ + 1;
    if (*fat_count > limit) return false;
    for (std::uint64_t i = 0; i < 109 && fat_sectors_.size() < *fat_count; ++i)
      fat_sectors_.push_back(*u32_at(bytes_, 0x4C + i * 4));
    std::uint32_t difat = *difat_first;
    const std::uint64_t per_sector = sector_size_ / 4 - 1;
    for (std::uint64_t step = 0; fat_sectors_.size() < *fat_count; ++step) {
      if (difat > kMaxRegularSector || step >= limit) return false;
      const std::uint64_t start = (std::uint64_t{difat} + 1) * sector_size_;
      for (std::uint64_t i = 0; i < per_sector && fat_sectors_.size() < *fat_count; ++i) {
        const auto id = u32_at(bytes_, start + i * 4);
        if (!id) return false;
        fat_sectors_.push_back(*id);
      }
      const auto next = u32_at(bytes_, start + per_sector * 4);
      if (!next) return false;
      difat = *next;
    }
    return true;
  }

  std::optional<std::uint32_t> next_sector(std::uint32_t sector) const {
    const std::uint64_t per_fat_sector = sector_size_ / 4;
    const std::uint64_t index = sector / per_fat_sector;
    if (index >= fat_sectors_.size() || fat_sectors_[index] > kMaxRegularSector)
      return std::nullopt;
    const std::uint64_t at = (std::uint64_t{fat_sectors_[index]} + 1) * sector_size_ +
                             (sector % per_fat_sector) * 4;
    return u32_at(bytes_, at);
  }

  // A directory entry: UTF-16LE name, its byte length (with the NUL) at
  // 0x40, the object type at 0x42 (2 = stream).
  bool is_word_stream_entry(std::uint64_t entry) const {
    constexpr std::u16string_view kName = u"WordDocument";
    const auto name_bytes = u16_at(bytes_, entry + 0x40);
    if (!name_bytes || *name_bytes != (kName.size() + 1) * 2) return false;
    if (entry + 0x42 >= bytes_.size() || bytes_[entry + 0x42] != 2) return false;
    for (std::size_t i = 0; i < kName.size(); ++i)
      if (*u16_at(bytes_, entry + i * 2) != kName[i]) return false;
    return true;
  }

  Bytes bytes_;
  std::uint64_t sector_size_ = 512;
  std::vector<std::uint32_t> fat_sectors_;
};

}  // namespace

std::optional<MediaType> sniff_media_type(Bytes bytes) {
  if (starts_with(bytes, "\xFF\xD8\xFF")) return MediaType::kJpg;
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n")) return MediaType::kPng;
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return MediaType::kGif;
  if (starts_with(bytes, "RIFF") && bytes.size() >= 12 &&
      std::memcmp(bytes.data() + 8, "WEBP", 4) == 0)
    return MediaType::kWebp;
  if (starts_with(bytes, "%PDF-")) return MediaType::kPdf;
  if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
    return CompoundFile(bytes).holds_word_stream() ? std::optional(MediaType::kDoc)
                                                    : std::nullopt;
  if (zip_holds_word_document(bytes)) return MediaType::kDocx;
  return std::nullopt;
}

}  // namespace taskcore::media

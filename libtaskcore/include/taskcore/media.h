#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/query_params.h"
#include "taskcore/time.h"

namespace taskcore {

// The kinds of file the blog accepts, always decided from the bytes
// (sniff_media_type), never from a name or a declared Content-Type.
enum class MediaType { kJpg, kPng, kGif, kWebp, kPdf, kDoc, kDocx };

// "jpg", "png", ... (the contract's file_type values).
TASKCORE_EXPORT std::string_view media_type_name(MediaType type);
TASKCORE_EXPORT std::optional<MediaType> parse_media_type(std::string_view name);
// The Content-Type the bytes are served with.
TASKCORE_EXPORT std::string_view media_mime_type(MediaType type);
// jpg, png, gif and webp get a thumbnail and dimensions.
TASKCORE_EXPORT bool is_image(MediaType type);
// The extension of stored names (".jpg", ".docx", ...).
TASKCORE_EXPORT std::string_view media_extension(MediaType type);

// Limits of CONTRACT §4.
inline constexpr std::int64_t kMaxMediaFileBytes = 10485760;  // 10 MiB per file
inline constexpr std::size_t kMaxMediaFilesPerUpload = 10;
// Larger images are refused from their header, before any full decode
// (decompression bombs).
inline constexpr std::int64_t kMaxImagePixels = 50'000'000;
inline constexpr int kThumbnailMaxSide = 320;

struct MediaFile {
  std::int64_t id = 0;
  // The stored name: fresh, unguessable, safe as a path component.
  std::string filename;
  // As the uploader named it; data only, never used as a path.
  std::string original_filename;
  MediaType file_type = MediaType::kPng;
  std::int64_t file_size = 0;
  Timestamp upload_date = 0;
  std::optional<std::int64_t> uploaded_by;  // null once the user is gone
  // Stored name of the thumbnail; images only.
  std::optional<std::string> thumbnail_filename;
  // Of the original, after EXIF orientation; images only.
  std::optional<std::int64_t> width;
  std::optional<std::int64_t> height;
};

enum class MediaOrderField { kUploadDate, kFileSize };
struct MediaOrderTerm {
  MediaOrderField field = MediaOrderField::kUploadDate;
  bool descending = true;
  friend bool operator==(const MediaOrderTerm&, const MediaOrderTerm&) = default;
};

// Filters of the media list; empty / nullopt = not filtered. Values of
// one filter are ORed, filters ANDed. Ties are broken by id in the
// direction of the first term.
struct MediaFilter {
  std::vector<MediaType> file_types;
  std::vector<std::int64_t> user_ids;
  std::optional<Date> uploaded_from;  // inclusive (UTC day)
  std::optional<Date> uploaded_to;    // inclusive
  std::optional<std::string> search;  // substring of original_filename
  std::vector<MediaOrderTerm> ordering;  // empty = -upload_date

  std::vector<MediaOrderTerm> effective_ordering() const;
};

// Reads file_type (multi; "image" and "document" stand for their groups),
// user_id (multi), upload_date_start, upload_date_end, search and ordering
// (upload_date, file_size, "-" for descending; a comma list). Throws
// validation_error naming each bad parameter.
TASKCORE_EXPORT MediaFilter parse_media_filter(const QueryParams& params);

struct MediaListQuery {
  MediaFilter filter;
  PageRequest page;
};
TASKCORE_EXPORT MediaListQuery parse_media_list_query(const QueryParams& params);

}  // namespace taskcore

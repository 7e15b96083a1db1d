#pragma once

// Image work through libvips: header probes and thumbnails. Thread safe.
// Errors are Error(kUnsupportedMediaType) for images libvips cannot or
// must not decode, never with libvips' own messages (they hold paths).

#include <cstdint>
#include <string>

#include "taskcore/media.h"

namespace taskcore {

struct ImageInfo {
  std::int64_t width = 0;   // after EXIF orientation
  std::int64_t height = 0;
};

class ImageProcessor {
 public:
  // libvips' threads, cache and GLib log handler are process-wide: the
  // first processor of the process sets them (later ones leave them as they
  // are), and libvips' warnings are dropped instead of reaching stderr. Only
  // the JPEG, PNG, GIF and WebP loaders stay enabled.
  ImageProcessor(int threads, std::size_t cache_bytes);

  // Reads the header only, so a decompression bomb is refused before any
  // pixel is decoded: unsupported_media_type when libvips cannot read it,
  // its loader is not the one of `type`, or it has more than
  // kMaxImagePixels pixels.
  ImageInfo probe(const std::string& path, MediaType type);
  // Writes a thumbnail of at most kThumbnailMaxSide on each side (aspect
  // kept, never upscaled, EXIF orientation applied, metadata stripped, the
  // first frame of an animation) to `out_path` in thumbnail_type(type).
  // unsupported_media_type when the pixels do not decode.
  void thumbnail(const std::string& path, const std::string& out_path);

  // JPEG stays JPEG and WebP stays WebP; PNG and GIF become PNG.
  static MediaType thumbnail_type(MediaType type);
};

}  // namespace taskcore

#include "media/image_processor.h"

#include <vips/vips.h>

#include <cstring>
#include <mutex>

#include "taskcore/error.h"

namespace taskcore {
namespace {

Error undecodable() {
  return Error(ErrorCode::kUnsupportedMediaType, "The image could not be decoded.");
}

// libvips keeps an error log of its own; ours never shows it (it names
// files), so it is cleared after every failure.
[[noreturn]] void fail_undecodable() {
  vips_error_clear();
  throw undecodable();
}

// Frees libvips' per-thread buffers of a thread that is not libvips' own.
struct ThreadCleanup {
  ~ThreadCleanup() { vips_thread_shutdown(); }
};

struct ImageRef {
  VipsImage* image = nullptr;
  ~ImageRef() {
    if (image) g_object_unref(image);
  }
};

// vips_foreign_find_load names the loader's class ("VipsForeignLoadPngFile").
bool loader_matches(const char* loader, MediaType type) {
  if (loader == nullptr) return false;
  const std::string_view name = loader;
  switch (type) {
    case MediaType::kJpg: return name.starts_with("VipsForeignLoadJpeg");
    case MediaType::kPng:
      return name.starts_with("VipsForeignLoadPng") || name.starts_with("VipsForeignLoadSpng");
    case MediaType::kGif:
      return name.starts_with("VipsForeignLoadNsgif") || name.starts_with("VipsForeignLoadGif");
    case MediaType::kWebp: return name.starts_with("VipsForeignLoadWebp");
    default: return false;
  }
}

// libvips warns about bad input on stderr through GLib; the library writes
// nowhere on its own, and the warnings name files, so they are dropped (the
// failure itself reaches the caller as an Error).
void drop_log_message(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

void init_vips(int threads, std::size_t cache_bytes) {
  static std::once_flag once;
  std::call_once(once, [&] {
    if (VIPS_INIT("taskcore") != 0) throw Error::internal("libvips failed to start.");
    g_log_set_handler("VIPS",
                      static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
                                                  G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG),
                      drop_log_message, nullptr);
    vips_concurrency_set(threads < 1 ? 1 : threads);
    vips_cache_set_max_mem(cache_bytes);
    vips_cache_set_max_files(16);
    // Only the four loaders we accept: no ImageMagick, no matlab, no SVG.
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (const char* allowed : {"VipsForeignLoadJpeg", "VipsForeignLoadPng",
                                "VipsForeignLoadSpng", "VipsForeignLoadNsgif",
                                "VipsForeignLoadGif", "VipsForeignLoadWebp"})
      vips_operation_block_set(allowed, FALSE);
  });
}

}  // namespace

ImageProcessor::ImageProcessor(int threads, std::size_t cache_bytes) {
  init_vips(threads, cache_bytes);
}

MediaType ImageProcessor::thumbnail_type(MediaType type) {
  if (type == MediaType::kJpg || type == MediaType::kWebp) return type;
  return MediaType::kPng;
}

ImageInfo ImageProcessor::probe(const std::string& path, MediaType type) {
  ThreadCleanup cleanup;
  if (!loader_matches(vips_foreign_find_load(path.c_str()), type)) fail_undecodable();
  ImageRef ref;
  // Opening reads the header only; pixels are decoded on demand.
  ref.image = vips_image_new_from_file(path.c_str(), "access", VIPS_ACCESS_SEQUENTIAL,
                                       nullptr);
  if (ref.image == nullptr) fail_undecodable();
  std::int64_t width = vips_image_get_width(ref.image);
  std::int64_t height = vips_image_get_height(ref.image);
  if (width <= 0 || height <= 0 || width * height > kMaxImagePixels)
    throw Error(ErrorCode::kUnsupportedMediaType,
                "Images may have at most 50 megapixels.");
  if (vips_image_get_orientation_swap(ref.image)) std::swap(width, height);
  return {width, height};
}

void ImageProcessor::thumbnail(const std::string& path, const std::string& out_path) {
  ThreadCleanup cleanup;
  const char* loader = vips_foreign_find_load(path.c_str());
  if (loader == nullptr) fail_undecodable();
  ImageRef thumb;
  // Shrink-on-load: JPEG and WebP decode at a reduced scale straight away.
  // fail_on=error refuses truncated or corrupt pixel data instead of
  // padding it with grey.
  if (vips_thumbnail(path.c_str(), &thumb.image, kThumbnailMaxSide, "height",
                     kThumbnailMaxSide, "size", VIPS_SIZE_DOWN, "fail_on",
                     VIPS_FAIL_ON_ERROR, nullptr) != 0)
    fail_undecodable();
  int saved;
  if (loader_matches(loader, MediaType::kJpg)) {
    saved = vips_jpegsave(thumb.image, out_path.c_str(), "strip", TRUE, "Q", 82, nullptr);
  } else if (loader_matches(loader, MediaType::kWebp)) {
    saved = vips_webpsave(thumb.image, out_path.c_str(), "strip", TRUE, "Q", 80, nullptr);
  } else {
    saved = vips_pngsave(thumb.image, out_path.c_str(), "strip", TRUE, nullptr);
  }
  // The pixels are decoded while saving: a failure here is the input's.
  if (saved != 0) fail_undecodable();
}

}  // namespace taskcore

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/media.h"
#include "taskcore/media_storage.h"
#include "taskcore/pagination.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;
class ImageProcessor;

// Media settings of a Core (Options::media).
struct MediaOptions {
  // Where bytes live. Default: none, and every media call but list and get
  // fails with service_unavailable.
  std::shared_ptr<MediaStorage> storage;
  // Scratch directory for thumbnails being made. Default: the system's
  // temporary directory.
  std::string scratch_directory;
  // libvips' worker threads per image and its operation cache. libvips
  // keeps both process-wide: the Core sets them once, when it makes its
  // first thumbnail.
  int image_threads = 1;
  std::size_t image_cache_bytes = 8u << 20;
  // The orphan sweep runs when the Core opens and then at this interval
  // (0 = only at open). Objects younger than `orphan_grace_ms` are left
  // alone: their row may be about to commit.
  std::int64_t sweep_interval_ms = 3'600'000;
  std::int64_t orphan_grace_ms = 3'600'000;
};

// One part of an upload: a complete local file the caller owns (and
// removes afterwards), and the name its sender gave it.
struct UploadedFile {
  std::string path;
  std::string original_filename;
};

struct MediaDetail {
  MediaFile file;
  std::vector<std::int64_t> referenced_by;  // ids of posts, ascending
};

// Stored bytes opened for serving.
struct MediaContent {
  MediaType type = MediaType::kPng;
  bool is_thumbnail = false;
  std::unique_ptr<MediaReader> reader;
  // A strong validator; stored names never change their bytes.
  std::string etag;
};

// Media rules of CONTRACT §4: the type from the bytes, all-or-nothing
// uploads, thumbnails, permissions (viewer reads; member uploads and deletes
// its own; manager and admin delete any), audit entries in the same
// transaction. Thread safe. Obtained from Core::media().
class TASKCORE_EXPORT MediaService {
 public:
  MediaService(ServiceContext& context, MediaOptions options);
  ~MediaService();

  // member and above. 1 to 10 files: validation_error (field "file") for
  // none or too many, payload_too_large for a file over 10 MiB,
  // unsupported_media_type for bytes of no allowed type or an image libvips
  // cannot decode or of more than 50 megapixels. Nothing is stored unless
  // every file is. Thumbnails are made before the write transaction. Audit
  // media_upload, one per file.
  std::vector<MediaFile> upload(const Principal& actor,
                                const std::vector<UploadedFile>& files);
  // Any role. not_found.
  MediaDetail get(const Principal& actor, std::int64_t id);
  // Any role. A page past the end is not_found (page 1 never is).
  Page<MediaFile> list(const Principal& actor, const MediaFilter& filter,
                       const PageRequest& page);
  // member: its own; manager, admin: any. The bytes leave storage after the
  // row's transaction commits. Audit media_delete.
  void remove(const Principal& actor, std::int64_t id);
  // Public: the bytes of a stored file or thumbnail by its stored name.
  // not_found for a name no row holds.
  MediaContent open(const std::string& stored_name);
  // Removes stored objects no row names (older than the grace time) and
  // stale temporaries; returns how many objects went. Run by the Core at
  // open and on its scheduler.
  std::size_t sweep_orphans();

 private:
  MediaStorage& storage();

  ServiceContext& ctx_;
  MediaOptions options_;
  std::unique_ptr<ImageProcessor> images_;
};

}  // namespace taskcore

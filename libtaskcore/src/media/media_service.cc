#include "taskcore/media_service.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/change_log.h"
#include "core/service_context.h"
#include "media/image_processor.h"
#include "media/mapped_file.h"
#include "media/type_sniffer.h"
#include "taskcore/permissions.h"
#include "util/text.h"

namespace taskcore {
namespace {

constexpr std::size_t kMaxOriginalNameLength = 255;  // characters
constexpr std::string_view kThumbnailSuffix = "_thumb";

// One part on its way in: checked, typed, thumbnailed.
struct PreparedFile {
  MediaFile file;
  std::string source_path;
  std::string thumbnail_path;  // scratch file, empty for documents
};

// The last path component, without control characters, at most 255
// characters: kept only as data, but shown to people and in headers.
std::string clean_original_name(std::string_view raw, FieldErrorCollector& errors) {
  const std::size_t slash = raw.find_last_of("/\\");
  if (slash != std::string_view::npos) raw.remove_prefix(slash + 1);
  if (!util::is_valid_utf8(raw)) {
    errors.add("file", "The file name is not valid UTF-8 text.");
    return {};
  }
  std::string name;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < raw.size() && characters < kMaxOriginalNameLength;) {
    const auto lead = static_cast<unsigned char>(raw[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (!(lead < 0x20 || lead == 0x7F)) {
      name.append(raw.substr(i, length));
      ++characters;
    }
    i += length;
  }
  name = std::string(util::trim(name));
  if (name.empty()) name = "file";
  return name;
}

std::string fresh_base_name(RandomSource& random) {
  unsigned char bytes[16];
  random.fill(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  for (unsigned char b : bytes) {
    name.push_back(kHex[b >> 4]);
    name.push_back(kHex[b & 15]);
  }
  return name;
}

std::int64_t file_size_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw Error::internal("An uploaded file could not be read.");
  return static_cast<std::int64_t>(st.st_size);
}

Error too_large() {
  return Error(ErrorCode::kPayloadTooLarge,
               "Each file may have at most 10485760 bytes.", {},
               {{"max_bytes", kMaxMediaFileBytes}});
}

Error unsupported() {
  return Error(ErrorCode::kUnsupportedMediaType,
               "Allowed files are JPEG, PNG, GIF, WebP, PDF, DOC and DOCX.");
}

// The media type a stored name stands for, from its extension.
std::optional<MediaType> type_of_name(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  for (MediaType t : {MediaType::kJpg, MediaType::kPng, MediaType::kGif, MediaType::kWebp,
                      MediaType::kPdf, MediaType::kDoc, MediaType::kDocx})
    if (media_extension(t) == name.substr(dot)) return t;
  return std::nullopt;
}

// Scratch thumbnails go away however the upload ends.
struct ScratchFiles {
  std::vector<std::string> paths;
  ~ScratchFiles() {
    for (const auto& p : paths) ::unlink(p.c_str());
  }
};

}  // namespace

MediaService::MediaService(ServiceContext& context, MediaOptions options)
    : ctx_(context),
      options_(std::move(options)),
      images_(std::make_unique<ImageProcessor>(options_.image_threads,
                                               options_.image_cache_bytes)) {
  if (options_.scratch_directory.empty())
    options_.scratch_directory = std::filesystem::temp_directory_path().string();
}

MediaService::~MediaService() = default;

MediaStorage& MediaService::storage() {
  if (!options_.storage)
    throw Error(ErrorCode::kServiceUnavailable, "Media storage is not configured.");
  return *options_.storage;
}

std::vector<MediaFile> MediaService::upload(const Principal& actor,
                                            const std::vector<UploadedFile>& files) {
  if (!can_upload_media(actor)) throw Error::permission_denied();
  MediaStorage& bytes = storage();
  if (files.empty()) throw Error::validation({{"file", {"No file was submitted."}}});
  if (files.size() > kMaxMediaFilesPerUpload)
    throw Error::validation({{"file", {"Ensure at most 10 files are uploaded."}}});

  // Every check before anything is stored: all or nothing.
  const Timestamp now = ctx_.clock->now();
  std::vector<PreparedFile> prepared(files.size());
  FieldErrorCollector name_errors;
  for (std::size_t i = 0; i < files.size(); ++i) {
    PreparedFile& part = prepared[i];
    part.source_path = files[i].path;
    part.file.original_filename = clean_original_name(files[i].original_filename, name_errors);
    part.file.file_size = file_size_of(files[i].path);
    if (part.file.file_size > kMaxMediaFileBytes) throw too_large();
    if (part.file.file_size == 0)
      name_errors.add("file", "The submitted file is empty.");
  }
  name_errors.throw_if_any();
  for (PreparedFile& part : prepared) {
    const media::MappedFile mapped(part.source_path);
    const auto type = media::sniff_media_type(mapped.bytes());
    if (!type) throw unsupported();
    part.file.file_type = *type;
  }

  // Thumbnails outside any transaction: image work never holds the writer.
  ScratchFiles scratch;
  for (PreparedFile& part : prepared) {
    const std::string base = fresh_base_name(*ctx_.random);
    part.file.filename = base + std::string(media_extension(part.file.file_type));
    part.file.upload_date = now;
    part.file.uploaded_by = actor.user_id;
    if (!is_image(part.file.file_type)) continue;
    const ImageInfo info = images_->probe(part.source_path, part.file.file_type);
    part.file.width = info.width;
    part.file.height = info.height;
    const std::string thumb_name =
        base + std::string(kThumbnailSuffix) +
        std::string(media_extension(ImageProcessor::thumbnail_type(part.file.file_type)));
    part.thumbnail_path = options_.scratch_directory + "/.taskcore-" + thumb_name;
    scratch.paths.push_back(part.thumbnail_path);
    images_->thumbnail(part.source_path, part.thumbnail_path);
    part.file.thumbnail_filename = thumb_name;
  }

  // Bytes durable before the rows commit; removed again if they do not.
  std::vector<std::string> stored;
  try {
    for (const PreparedFile& part : prepared) {
      bytes.put(part.file.filename, part.source_path);
      stored.push_back(part.file.filename);
      if (part.file.thumbnail_filename) {
        bytes.put(*part.file.thumbnail_filename, part.thumbnail_path);
        stored.push_back(*part.file.thumbnail_filename);
      }
    }
    return ctx_.store->write([&](Transaction& tx) {
      std::vector<MediaFile> result;
      for (const PreparedFile& part : prepared) {
        MediaFile row = part.file;
        row.id = tx.media().insert(row);
        record_audit(tx, now, actor, kAuditMediaUpload, {"media", row.id},
                     nlohmann::json{{"original_filename", row.original_filename},
                                    {"file_type", media_type_name(row.file_type)},
                                    {"file_size", row.file_size}}
                         .dump());
        result.push_back(std::move(row));
      }
      return result;
    });
  } catch (...) {
    for (const auto& name : stored) {
      try {
        bytes.remove(name);
      } catch (const std::exception&) {
        // The orphan sweep removes what is left.
      }
    }
    throw;
  }
}

MediaDetail MediaService::get(const Principal& actor, std::int64_t id) {
  if (!can_read(actor)) throw Error::permission_denied();
  return ctx_.store->read([&](Transaction& tx) {
    auto file = tx.media().find(id);
    if (!file) throw Error::not_found();
    return MediaDetail{std::move(*file), tx.posts().referencing(id)};
  });
}

Page<MediaFile> MediaService::list(const Principal& actor, const MediaFilter& filter,
                                   const PageRequest& page) {
  if (!can_read(actor)) throw Error::permission_denied();
  Page<MediaFile> result =
      ctx_.store->read([&](Transaction& tx) { return tx.media().query(filter, page); });
  check_page_in_range(page, result.count);
  return result;
}

void MediaService::remove(const Principal& actor, std::int64_t id) {
  if (!can_upload_media(actor)) throw Error::permission_denied();
  MediaStorage& bytes = storage();
  const Timestamp now = ctx_.clock->now();
  std::shared_ptr<Logger> logger = ctx_.logger;
  ctx_.store->write([&](Transaction& tx) {
    const std::optional<MediaFile> file = tx.media().find(id, RowLock::kForUpdate);
    if (!file) throw Error::not_found();
    if (!can_delete_media(actor, *file)) throw Error::permission_denied();
    // Posts lose the reference in the same transaction (CONTRACT §4).
    const std::vector<std::int64_t> posts = tx.posts().referencing(id);
    tx.posts().drop_media(id);
    tx.media().remove(id);
    record_audit(tx, now, actor, kAuditMediaDelete, {"media", id},
                 nlohmann::json{{"original_filename", file->original_filename},
                                {"posts", posts}}
                     .dump());
    // After the commit only: a rolled back delete keeps its bytes.
    tx.on_commit([&bytes, logger, file = *file] {
      try {
        bytes.remove(file.filename);
        if (file.thumbnail_filename) bytes.remove(*file.thumbnail_filename);
      } catch (const std::exception&) {
        logger->log(LogLevel::kWarning,
                    "media delete: bytes left for the orphan sweep (media " +
                        std::to_string(file.id) + ")");
      }
    });
  });
}

MediaContent MediaService::open(const std::string& stored_name) {
  const auto type = type_of_name(stored_name);
  if (!type) throw Error::not_found();
  MediaStorage& bytes = storage();
  const bool known =
      ctx_.store->read([&](Transaction& tx) { return tx.media().references(stored_name); });
  if (!known) throw Error::not_found();
  MediaContent content;
  content.reader = bytes.open(stored_name);
  if (!content.reader) throw Error::not_found();
  content.type = *type;
  content.is_thumbnail = stored_name.find(kThumbnailSuffix) != std::string::npos;
  content.etag = "\"" + stored_name + "\"";
  return content;
}

std::size_t MediaService::sweep_orphans() {
  MediaStorage& bytes = storage();
  const Timestamp cutoff = ctx_.clock->now() - options_.orphan_grace_ms;
  bytes.remove_stale_temporaries(cutoff);
  std::vector<std::string> candidates;
  for (const StoredObject& object : bytes.list())
    if (object.modified_at < cutoff) candidates.push_back(object.name);
  const std::vector<std::string> orphans = ctx_.store->read([&](Transaction& tx) {
    std::vector<std::string> out;
    for (const auto& name : candidates)
      if (!tx.media().references(name)) out.push_back(name);
    return out;
  });
  for (const auto& name : orphans) bytes.remove(name);
  if (!orphans.empty())
    ctx_.logger->log(LogLevel::kInfo,
                     "media sweep removed " + std::to_string(orphans.size()) + " orphans");
  return orphans.size();
}

}  // namespace taskcore

// POST /api/blog/media/upload/: the body is parsed as it arrives and each
// `file` part streamed into a temporary file of the media directory
// (".tmp-upload-*", which the core's sweep clears after a crash), so an
// upload is never held whole in memory and an oversize part is refused as
// soon as it passes 10 MiB. The core then decides everything else.

#include <fcntl.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <cstdlib>

#include "json/media_json.h"
#include "request_context.h"
#include "routes/media_upload.h"
#include "routes/routes.h"
#include "taskcore/permissions.h"
#include "transport/multipart_parser.h"

namespace taskcore::server {
namespace {

using transport::MultipartLimits;
using transport::MultipartParser;
using transport::MultipartPart;
using transport::MultipartStatus;

// Writes each `file` part to a temporary file; removes them all when done.
class SpooledFiles final : public transport::MultipartSink {
 public:
  explicit SpooledFiles(std::string directory) : directory_(std::move(directory)) {}
  ~SpooledFiles() override {
    if (fd_ >= 0) ::close(fd_);
    for (const UploadedFile& file : files_) ::unlink(file.path.c_str());
  }

  void begin_part(const MultipartPart& part) override {
    if (part.name != "file" || failed()) return;
    if (!part.filename) {
      not_a_file_ = true;
      return;
    }
    if (files_.size() == kMaxMediaFilesPerUpload) {
      too_many_ = true;
      return;
    }
    std::string path = directory_ + "/.tmp-upload-XXXXXX";
    fd_ = ::mkstemp(path.data());
    if (fd_ < 0) {
      io_failed_ = true;
      return;
    }
    files_.push_back({std::move(path), *part.filename});
  }

  void part_data(std::string_view bytes) override {
    while (fd_ >= 0 && !bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        io_failed_ = true;
        ::close(fd_);
        fd_ = -1;
        return;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void end_part() override {
    if (fd_ >= 0 && ::close(fd_) != 0) io_failed_ = true;
    fd_ = -1;
  }

  bool failed() const { return io_failed_ || too_many_ || not_a_file_; }
  // Throws the error of a failed spool.
  void throw_failure() const {
    if (io_failed_) throw Error::internal("An upload could not be stored.");
    if (too_many_)
      throw Error::validation({{"file", {"Ensure at most 10 files are uploaded."}}});
    if (not_a_file_)
      throw Error::validation(
          {{"file",
            {"The submitted data was not a file. Check the encoding type on the form."}}});
  }
  const std::vector<UploadedFile>& files() const { return files_; }

 private:
  std::string directory_;
  std::vector<UploadedFile> files_;
  int fd_ = -1;
  bool io_failed_ = false;
  bool too_many_ = false;
  bool not_a_file_ = false;
};

Error parse_error(std::string message) {
  return Error(ErrorCode::kParseError, std::move(message));
}

void upload_media(RequestContext& ctx) {
  // Who and whether, before a byte of the body is read.
  const Principal& actor = ctx.principal();
  if (!can_upload_media(actor)) throw Error::permission_denied();
  const auto boundary =
      transport::multipart_boundary(ctx.req().get_header_value(kUploadFormTypeHeader));
  if (!boundary || ctx.body_reader() == nullptr)
    throw Error(ErrorCode::kUnsupportedMediaType,
                "Unsupported media type; send multipart/form-data.");

  MultipartLimits limits;
  limits.max_file_bytes = static_cast<std::uint64_t>(kMaxMediaFileBytes);
  SpooledFiles spool(ctx.env().config.media_dir.string());
  MultipartParser parser(*boundary, limits, spool);
  MultipartStatus status = MultipartStatus::kOk;
  const bool complete = (*ctx.body_reader())([&](const char* data, std::size_t size) {
    status = parser.feed(std::string_view(data, size));
    return status == MultipartStatus::kOk && !spool.failed();
  });
  if (status == MultipartStatus::kOk && !spool.failed() && complete) status = parser.finish();

  if (status == MultipartStatus::kTooLarge) {
    // The rest of the body stays unread: the connection closes after this.
    ctx.res().set_header("Connection", "close");
    throw Error(ErrorCode::kPayloadTooLarge, "Each file may have at most 10485760 bytes.", {},
                {{"max_bytes", kMaxMediaFileBytes}});
  }
  if (spool.failed()) {
    ctx.res().set_header("Connection", "close");
    spool.throw_failure();
  }
  if (status != MultipartStatus::kOk) throw parse_error("Malformed multipart body.");
  if (!complete) {
    ctx.res().set_header("Connection", "close");
    throw parse_error("The request body ended early.");
  }

  const std::vector<MediaFile> stored = ctx.core().media().upload(actor, spool.files());
  const std::string origin = ctx.origin_url();
  JsonWriter out(512 + stored.size() * 512);
  out.begin_object();
  out.key("count").number(static_cast<std::int64_t>(stored.size()));
  out.key("results").begin_array();
  for (const MediaFile& file : stored) write_media(out, file, origin);
  out.end_array();
  out.end_object();
  ctx.send_json_text(201, out.take());
}

}  // namespace

void hide_upload_form_type(httplib::Request& req) {
  // A client's own copy of the header never counts.
  req.headers.erase(kUploadFormTypeHeader);
  std::string_view path = req.path;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (req.method != "POST" || path != kMediaUploadPath) return;
  const auto type = req.headers.find("Content-Type");
  if (type == req.headers.end()) return;
  const std::string original = type->second;
  req.headers.erase(type);
  req.headers.emplace("Content-Type", "application/x-taskcore-upload");
  req.headers.emplace(kUploadFormTypeHeader, original);
}

void add_media_upload_routes(Router& router) {
  router.add("POST", kMediaUploadPath, Access::kAuthenticated, upload_media);
}

}  // namespace taskcore::server

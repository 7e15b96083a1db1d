#include <httplib.h>

#include <array>
#include <charconv>

#include "json/media_json.h"
#include "json/page_json.h"
#include "request_context.h"
#include "routes/routes.h"
#include "util/etag.h"

namespace taskcore::server {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

void list_media(RequestContext& ctx) {
  const MediaListQuery query = parse_media_list_query(ctx.query());
  const Page<MediaFile> page = ctx.core().media().list(ctx.principal(), query.filter, query.page);
  const std::string origin = ctx.origin_url();
  ctx.send_json_text(200, page_json_text(
                              ctx, page,
                              [&](JsonWriter& out, const MediaFile& f) { write_media(out, f, origin); },
                              Json{{"filters_applied", media_filters_applied(query.filter)}}));
}

void get_media(RequestContext& ctx) {
  const MediaDetail detail = ctx.core().media().get(ctx.principal(), ctx.id_param());
  ctx.send_json_text(200, media_json_text(detail, ctx.origin_url()));
}

void delete_media(RequestContext& ctx) {
  ctx.core().media().remove(ctx.principal(), ctx.id_param());
  ctx.send_no_content();
}

// Whether a well-formed single "bytes=" range starts past the end (416).
// Anything else is left to httplib, which serves satisfiable ranges and
// ignores malformed ones, as RFC 9110 allows.
bool range_unsatisfiable(std::string_view header, std::int64_t size) {
  if (!header.starts_with("bytes=")) return false;
  header.remove_prefix(6);
  if (header.find(',') != std::string_view::npos) return false;
  const std::size_t dash = header.find('-');
  if (dash == std::string_view::npos) return false;
  if (dash == 0) return header.substr(1) == "0";  // a zero-length suffix
  std::int64_t first = 0;
  const auto [end, error] = std::from_chars(header.data(), header.data() + dash, first);
  if (error != std::errc() || end != header.data() + dash) return false;
  return first >= size;
}

void serve_file(RequestContext& ctx) {
  MediaContent content = ctx.core().media().open(ctx.text_param());
  httplib::Response& res = ctx.res();
  const std::int64_t size = content.reader->size();
  res.set_header("ETag", content.etag);
  res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("X-Content-Type-Options", "nosniff");
  // A crafted document must never render in our origin.
  if (!is_image(content.type))
    res.set_header("Content-Disposition",
                   "attachment; filename=\"" + ctx.text_param() + "\"");
  if (etag_matches(ctx.req().get_header_value("If-None-Match"), content.etag)) {
    res.status = 304;
    return;
  }
  // Served whole (RFC 9110 §13.1.5, §14.2): a range of another version
  // (If-Range naming another validator), or several ranges, which httplib
  // 0.11 frames with a wrong total size when the body is streamed.
  const bool other_version = ctx.req().has_header("If-Range") &&
                             ctx.req().get_header_value("If-Range") != content.etag;
  if (other_version || ctx.req().ranges.size() > 1) {
    ctx.ignore_ranges();
  } else if (range_unsatisfiable(ctx.req().get_header_value("Range"), size)) {
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    res.set_content("", "text/plain");
    return;
  }
  std::shared_ptr<MediaReader> reader = std::move(content.reader);
  res.set_content_provider(
      static_cast<std::size_t>(size), std::string(media_mime_type(content.type)),
      [reader](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::array<std::byte, kReadChunk> buffer;
        const std::size_t want = std::min(length, buffer.size());
        const std::size_t got = reader->read_at(static_cast<std::int64_t>(offset),
                                                std::span<std::byte>(buffer.data(), want));
        if (got == 0) return false;
        return sink.write(reinterpret_cast<const char*>(buffer.data()), got);
      });
}

}  // namespace

void add_media_routes(Router& router) {
  router.add("GET", "/api/blog/media", Access::kAuthenticated, list_media)
      .add("GET", "/api/blog/media/{id}", Access::kAuthenticated, get_media)
      .add("DELETE", "/api/blog/media/{id}", Access::kAuthenticated, delete_media)
      .add("GET", "/api/blog/media/files/{name}", Access::kPublic, serve_file);
}

}  // namespace taskcore::server

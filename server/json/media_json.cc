#include "json/media_json.h"

#include "json/filters_applied.h"
#include "taskcore/time.h"

namespace taskcore::server {
namespace {

void write_fields(JsonWriter& out, const MediaFile& file, const std::string& origin) {
  const std::string base = origin + std::string(kMediaFilesPath);
  out.key("id").number(file.id);
  out.key("filename").string(file.filename);
  out.key("original_filename").string(file.original_filename);
  out.key("file_type").string(media_type_name(file.file_type));
  out.key("mime_type").string(media_mime_type(file.file_type));
  out.key("file_size").number(file.file_size);
  out.key("upload_date").string(format_timestamp(file.upload_date));
  out.key("uploaded_by").optional_number(file.uploaded_by);
  out.key("url").string(base + file.filename);
  out.key("thumbnail_url");
  if (file.thumbnail_filename)
    out.string(base + *file.thumbnail_filename);
  else
    out.null();
  out.key("width").optional_number(file.width);
  out.key("height").optional_number(file.height);
}

}  // namespace

void write_media(JsonWriter& out, const MediaFile& file, const std::string& origin) {
  out.begin_object();
  write_fields(out, file, origin);
  out.end_object();
}

std::string media_json_text(const MediaDetail& detail, const std::string& origin) {
  JsonWriter out(768);
  out.begin_object();
  write_fields(out, detail.file, origin);
  out.key("referenced_by").begin_array();
  for (std::int64_t id : detail.referenced_by) out.number(id);
  out.end_array();
  out.end_object();
  return out.take();
}

Json media_filters_applied(const MediaFilter& filter) {
  Json applied = Json::object();
  if (!filter.file_types.empty()) {
    Json names = Json::array();
    for (MediaType t : filter.file_types) names.push_back(std::string(media_type_name(t)));
    applied["file_type"] = std::move(names);
  }
  if (!filter.user_ids.empty()) applied["user_id"] = filter.user_ids;
  if (filter.uploaded_from || filter.uploaded_to) {
    const auto date = [](const std::optional<Date>& d) {
      return d ? Json(format_date(*d)) : Json(nullptr);
    };
    applied["date_range"] = {{"start", date(filter.uploaded_from)},
                             {"end", date(filter.uploaded_to)}};
  }
  if (filter.search) applied["search"] = *filter.search;
  add_ordering_applied(applied, filter.ordering, [](const MediaOrderTerm& term) {
    return std::string(term.descending ? "-" : "") +
           (term.field == MediaOrderField::kUploadDate ? "upload_date" : "file_size");
  });
  return applied;
}

}  // namespace taskcore::server

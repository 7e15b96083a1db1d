#include <algorithm>
#include <array>

#include "core/filter_params.h"
#include "taskcore/error.h"
#include "taskcore/media.h"
#include "util/text.h"

namespace taskcore {
namespace {

struct TypeInfo {
  MediaType type;
  std::string_view name;
  std::string_view mime;
  std::string_view extension;
};

constexpr std::array<TypeInfo, 7> kTypes = {{
    {MediaType::kJpg, "jpg", "image/jpeg", ".jpg"},
    {MediaType::kPng, "png", "image/png", ".png"},
    {MediaType::kGif, "gif", "image/gif", ".gif"},
    {MediaType::kWebp, "webp", "image/webp", ".webp"},
    {MediaType::kPdf, "pdf", "application/pdf", ".pdf"},
    {MediaType::kDoc, "doc", "application/msword", ".doc"},
    {MediaType::kDocx, "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
}};

const TypeInfo& info(MediaType type) {
  return kTypes[static_cast<std::size_t>(type)];
}

void add_once(std::vector<MediaType>& types, MediaType type) {
  if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
}

std::vector<MediaType> read_file_types(const QueryParams& params, FieldErrorCollector& errors) {
  std::vector<MediaType> types;
  for (const auto& value : params.multi("file_type")) {
    if (value == "image") {
      for (MediaType t : {MediaType::kJpg, MediaType::kPng, MediaType::kGif, MediaType::kWebp})
        add_once(types, t);
    } else if (value == "document") {
      for (MediaType t : {MediaType::kPdf, MediaType::kDoc, MediaType::kDocx})
        add_once(types, t);
    } else if (auto type = parse_media_type(value)) {
      add_once(types, *type);
    } else {
      const std::string shown = util::is_valid_utf8(value) ? value : "(invalid text)";
      errors.add("file_type", "Select a valid choice. " + shown +
                                  " is not one of the available choices.");
    }
  }
  return types;
}

std::vector<MediaOrderTerm> read_ordering(const QueryParams& params,
                                          FieldErrorCollector& errors) {
  static constexpr std::string_view kNames[] = {"upload_date", "file_size"};
  static constexpr MediaOrderField kFields[] = {MediaOrderField::kUploadDate,
                                                MediaOrderField::kFileSize};
  std::vector<MediaOrderTerm> terms;
  for (const OrderingKey key : read_ordering_keys(params, kNames, errors))
    terms.push_back({kFields[key.index], key.descending});
  return terms;
}

}  // namespace

std::string_view media_type_name(MediaType type) { return info(type).name; }
std::string_view media_mime_type(MediaType type) { return info(type).mime; }
std::string_view media_extension(MediaType type) { return info(type).extension; }

std::optional<MediaType> parse_media_type(std::string_view name) {
  for (const TypeInfo& t : kTypes)
    if (t.name == name) return t.type;
  return std::nullopt;
}

bool is_image(MediaType type) {
  return type == MediaType::kJpg || type == MediaType::kPng || type == MediaType::kGif ||
         type == MediaType::kWebp;
}

std::vector<MediaOrderTerm> MediaFilter::effective_ordering() const {
  if (ordering.empty()) return {{MediaOrderField::kUploadDate, true}};
  return ordering;
}

MediaFilter parse_media_filter(const QueryParams& params) {
  FieldErrorCollector errors;
  MediaFilter filter;
  filter.file_types = read_file_types(params, errors);
  filter.user_ids = read_ids(params, "user_id", errors);
  const DateRange uploaded =
      read_date_range(params, "upload_date_start", "upload_date_end", errors);
  filter.uploaded_from = uploaded.start;
  filter.uploaded_to = uploaded.end;
  filter.search = read_search(params, errors);
  filter.ordering = read_ordering(params, errors);
  errors.throw_if_any("Invalid filter.");
  return filter;
}

}  // namespace taskcore

#pragma once

#include <string>

#include "json/body.h"
#include "json/writer.h"
#include "request_context.h"
#include "taskcore/media.h"
#include "taskcore/media_service.h"

namespace taskcore::server {

// The public path of a stored file or thumbnail.
inline constexpr std::string_view kMediaFilesPath = "/api/blog/media/files/";

// A MediaFile of CONTRACT §4; `origin` is scheme://host, so url and
// thumbnail_url are absolute, as DRF's FileField writes them.
void write_media(JsonWriter& out, const MediaFile& file, const std::string& origin);
std::string media_json_text(const MediaDetail& detail, const std::string& origin);
Json media_filters_applied(const MediaFilter& filter);

}  // namespace taskcore::server

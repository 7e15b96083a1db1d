#pragma once

#include <cstddef>
#include <string_view>

#include "taskcore/media.h"

namespace httplib {
struct Request;
}  // namespace httplib

namespace taskcore::server {

// POST here streams its multipart body to temporary files as it arrives.
inline constexpr std::string_view kMediaUploadPath = "/api/blog/media/upload";
// Ten files at the limit plus their part heads and delimiters.
inline constexpr std::size_t kMaxUploadBodyBytes =
    kMaxMediaFilesPerUpload * static_cast<std::size_t>(kMaxMediaFileBytes) + 1024 * 1024;

// httplib parses any multipart/form-data body itself once a route reads
// it; the upload route reads with our parser (transport/multipart_parser.h)
// instead. Before routing, the upload's Content-Type moves to this header
// and the request carries an opaque type, so httplib hands on raw bytes.
inline constexpr const char* kUploadFormTypeHeader = "X-Taskcore-Upload-Form-Type";
void hide_upload_form_type(httplib::Request& req);

}  // namespace taskcore::server

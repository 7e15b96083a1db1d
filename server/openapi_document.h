#pragma once

#include <string_view>

namespace taskcore::server {

// docs/openapi.json, embedded at build time (cmake/embed_file.cmake), and
// its entity tag (a digest of the bytes).
std::string_view openapi_document();
std::string_view openapi_document_etag();

}  // namespace taskcore::server

#include <httplib.h>

#include "openapi_document.h"
#include "request_context.h"
#include "routes/routes.h"
#include "util/etag.h"

namespace taskcore::server {
namespace {

// The OpenAPI 3.1 reference of this build (docs/openapi.json). It changes
// only with the binary, so clients revalidate with If-None-Match.
void schema(RequestContext& ctx) {
  httplib::Response& res = ctx.res();
  res.set_header("ETag", std::string(openapi_document_etag()));
  res.set_header("Cache-Control", "public, max-age=3600");
  if (etag_matches(ctx.req().get_header_value("If-None-Match"), openapi_document_etag())) {
    res.status = 304;
    return;
  }
  ctx.send_json_text(200, std::string(openapi_document()));
}

}  // namespace

void add_schema_routes(Router& router) {
  router.add("GET", "/api/schema", Access::kPublic, schema);
}

}  // namespace taskcore::server

#include "metrics/metrics_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void metrics(RequestContext& ctx) {
  ctx.send_json(200, metrics_json(take_metrics_snapshot(*ctx.env().metrics)));
}

}  // namespace

void add_metrics_routes(Router& router) {
  router.add("GET", "/api/admin/metrics", Access::kAdmin, metrics);
}

}  // namespace taskcore::server

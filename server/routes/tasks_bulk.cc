#include "json/bulk_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void bulk_update(RequestContext& ctx) {
  const BulkUpdateInput input = bulk_update_from_json(ctx.json_body());
  const BulkResult result = ctx.core().tasks().bulk_update(ctx.principal(), input);
  ctx.send_json(200, bulk_result_to_json(result, "updated_count", "failed_updates"));
}

void bulk_delete(RequestContext& ctx) {
  const BulkDeleteInput input = bulk_delete_from_json(ctx.json_body());
  const BulkResult result = ctx.core().tasks().bulk_delete(ctx.principal(), input);
  ctx.send_json(200, bulk_result_to_json(result, "deleted_count", "failed_deletes"));
}

}  // namespace

void add_task_bulk_routes(Router& router) {
  router.add("POST", "/api/tasks/bulk-update", Access::kAuthenticated, bulk_update)
      .add("DELETE", "/api/tasks/bulk-delete", Access::kAuthenticated, bulk_delete)
      .add("POST", "/api/tasks/bulk-delete", Access::kAuthenticated, bulk_delete);
}

}  // namespace taskcore::server

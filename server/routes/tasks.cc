#include <httplib.h>

#include "json/page_json.h"
#include "json/task_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void list_tasks(RequestContext& ctx) {
  const TaskListQuery query = parse_task_list_query(ctx.query());
  const Page<Task> page = ctx.core().tasks().list(ctx.principal(), query.filter, query.page);
  ctx.send_json_text(200, page_json_text(ctx, page, write_task,
                                         Json{{"filters_applied",
                                               task_filters_applied(query.filter)}}));
}

void create_task(RequestContext& ctx) {
  const TaskInput input = task_input_from_json(ctx.json_body());
  ctx.send_json_text(201, task_json_text(ctx.core().tasks().create(ctx.principal(), input)));
}

void get_task(RequestContext& ctx) {
  const auto id = ctx.id_param();
  ctx.send_json_text(200, task_json_text(ctx.core().tasks().get(ctx.principal(), id)));
}

void update_task(RequestContext& ctx, WriteMode mode) {
  const auto id = ctx.id_param();
  const TaskInput input = task_input_from_json(ctx.json_body());
  ctx.send_json_text(200, task_json_text(ctx.core().tasks().update(ctx.principal(), id,
                                                                   input, mode)));
}

void delete_task(RequestContext& ctx) {
  const auto id = ctx.id_param();
  ctx.core().tasks().remove(ctx.principal(), id);
  ctx.send_no_content();
}

}  // namespace

void add_task_routes(Router& router) {
  router.add("GET", "/api/tasks", Access::kAuthenticated, list_tasks)
      .add("POST", "/api/tasks", Access::kAuthenticated, create_task)
      .add("GET", "/api/tasks/{id}", Access::kAuthenticated, get_task)
      .add("PUT", "/api/tasks/{id}", Access::kAuthenticated,
           [](RequestContext& ctx) { update_task(ctx, WriteMode::kReplace); })
      .add("PATCH", "/api/tasks/{id}", Access::kAuthenticated,
           [](RequestContext& ctx) { update_task(ctx, WriteMode::kPartial); })
      .add("DELETE", "/api/tasks/{id}", Access::kAuthenticated, delete_task);
}

}  // namespace taskcore::server

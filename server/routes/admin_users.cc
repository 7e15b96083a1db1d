#include <httplib.h>

#include "json/page_json.h"
#include "json/user_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void list_users(RequestContext& ctx) {
  const UserListQuery query = parse_user_list_query(ctx.query());
  const Page<User> page = ctx.core().users().list(ctx.principal(), query.filter, query.page);
  const auto write_user = [](JsonWriter& out, const User& user) {
    out.raw(dump_json(user_to_json(user)));
  };
  ctx.send_json_text(200, page_json_text(ctx, page, write_user,
                                         Json{{"filters_applied",
                                               user_filters_applied(query.filter)}}));
}

void get_user(RequestContext& ctx) {
  const auto id = ctx.id_param();
  ctx.send_json(200, user_to_json(ctx.core().users().get(ctx.principal(), id)));
}

void update_user(RequestContext& ctx) {
  const auto id = ctx.id_param();
  const UserUpdateInput input = user_update_from_json(ctx.json_body());
  ctx.send_json(200,
                user_to_json(ctx.core().users().update(ctx.principal(), id, input)));
}

void reset_password(RequestContext& ctx) {
  const auto id = ctx.id_param();
  const ResetTicket ticket = ctx.core().auth().reset_password(ctx.principal(), id);
  ctx.send_json(200, Json{{"reset_token", ticket.token},
                          {"expires_at", format_timestamp(ticket.expires_at)}});
}

void toggle_active(RequestContext& ctx) {
  const auto id = ctx.id_param();
  ctx.send_json(200,
                user_to_json(ctx.core().users().toggle_active(ctx.principal(), id)));
}

}  // namespace

void add_admin_user_routes(Router& router) {
  router.add("GET", "/api/admin/users", Access::kAdmin, list_users)
      .add("GET", "/api/admin/users/{id}", Access::kAdmin, get_user)
      .add("PUT", "/api/admin/users/{id}", Access::kAdmin, update_user)
      // PUT already takes any subset; PATCH is DRF's partial update twin.
      .add("PATCH", "/api/admin/users/{id}", Access::kAdmin, update_user)
      .add("PATCH", "/api/admin/users/{id}/toggle-active", Access::kAdmin,
           toggle_active)
      .add("POST", "/api/admin/users/{id}/reset-password", Access::kAdmin, reset_password);
}

}  // namespace taskcore::server

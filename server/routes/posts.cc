#include "json/page_json.h"
#include "json/post_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void list_posts(RequestContext& ctx) {
  const PostListQuery query = parse_post_list_query(ctx.query());
  const Page<Post> page =
      ctx.core().posts().list(ctx.optional_principal(), query.filter, query.page);
  ctx.send_json_text(200, page_json_text(ctx, page, write_post,
                                         Json{{"filters_applied",
                                               post_filters_applied(query.filter)}}));
}

void create_post(RequestContext& ctx) {
  const PostInput input = post_input_from_json(ctx.json_body());
  ctx.send_json_text(201, post_json_text(ctx.core().posts().create(ctx.principal(), input)));
}

void get_post(RequestContext& ctx) {
  const auto id = ctx.id_param();
  ctx.send_json_text(200, post_json_text(ctx.core().posts().get(ctx.optional_principal(), id)));
}

void update_post(RequestContext& ctx, WriteMode mode) {
  const auto id = ctx.id_param();
  const PostInput input = post_input_from_json(ctx.json_body());
  ctx.send_json_text(
      200, post_json_text(ctx.core().posts().update(ctx.principal(), id, input, mode)));
}

void delete_post(RequestContext& ctx) {
  ctx.core().posts().remove(ctx.principal(), ctx.id_param());
  ctx.send_no_content();
}

}  // namespace

void add_post_routes(Router& router) {
  router.add("GET", "/api/blog/posts", Access::kOptional, list_posts)
      .add("POST", "/api/blog/posts", Access::kAuthenticated, create_post)
      .add("GET", "/api/blog/posts/{id}", Access::kOptional, get_post)
      .add("PUT", "/api/blog/posts/{id}", Access::kAuthenticated,
           [](RequestContext& ctx) { update_post(ctx, WriteMode::kReplace); })
      .add("PATCH", "/api/blog/posts/{id}", Access::kAuthenticated,
           [](RequestContext& ctx) { update_post(ctx, WriteMode::kPartial); })
      .add("DELETE", "/api/blog/posts/{id}", Access::kAuthenticated, delete_post);
}

}  // namespace taskcore::server

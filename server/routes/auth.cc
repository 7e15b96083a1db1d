#include <httplib.h>

#include "json/user_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void register_user(RequestContext& ctx) {
  const NewUserInput input = new_user_input_from_json(ctx.json_body());
  ctx.send_json(201, user_to_json(ctx.core().users().register_user(input, ctx.origin())));
}

void login(RequestContext& ctx) {
  const Json body = ctx.json_body();
  LoginInput input;
  read_nullable_string(body, "username", input.username, input.decode_errors);
  read_nullable_string(body, "password", input.password, input.decode_errors);
  const LoginResult result = ctx.core().auth().login(input, ctx.origin());
  ctx.send_json(200, Json{{"access", result.tokens.access},
                          {"refresh", result.tokens.refresh},
                          {"token_type", "Bearer"},
                          {"expires_in", result.tokens.expires_in},
                          {"user", user_to_json(result.user)}});
}

void me(RequestContext& ctx) {
  ctx.send_json(200, user_to_json(ctx.core().users().me(ctx.principal())));
}

}  // namespace

void add_auth_routes(Router& router) {
  router.add("POST", "/api/auth/register", Access::kPublic, register_user)
      .add("POST", "/api/auth/login", Access::kPublic, login)
      .add("GET", "/api/auth/me", Access::kAuthenticated, me);
}

}  // namespace taskcore::server

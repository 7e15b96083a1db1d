#include <httplib.h>

#include "json/user_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

Json token_pair_json(const TokenPair& tokens) {
  return Json{{"access", tokens.access},
              {"refresh", tokens.refresh},
              {"token_type", "Bearer"},
              {"expires_in", tokens.expires_in}};
}

void throw_if_any(FieldErrors errors) {
  if (!errors.empty()) throw Error::validation(std::move(errors));
}

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
  Json reply = token_pair_json(result.tokens);
  reply["user"] = user_to_json(result.user);
  ctx.send_json(200, reply);
}

void refresh(RequestContext& ctx) {
  FieldErrors errors;
  const std::string token = text_field(ctx.json_body(), "refresh", errors);
  throw_if_any(std::move(errors));
  ctx.send_json(200, token_pair_json(ctx.core().auth().refresh(token, ctx.origin())));
}

void logout(RequestContext& ctx) {
  FieldErrors errors;
  const std::string token = text_field(ctx.json_body(), "refresh", errors);
  throw_if_any(std::move(errors));
  ctx.core().auth().logout(ctx.principal(), token);
  ctx.send_no_content();
}

void change_password(RequestContext& ctx) {
  const Json body = ctx.json_body();
  FieldErrors errors;
  const std::string old_password = text_field(body, "old_password", errors);
  const std::string new_password = text_field(body, "new_password", errors);
  throw_if_any(std::move(errors));
  ctx.core().auth().change_password(ctx.principal(), old_password, new_password);
  ctx.send_no_content();
}

void confirm_reset(RequestContext& ctx) {
  const Json body = ctx.json_body();
  FieldErrors errors;
  const std::string token = text_field(body, "token", errors);
  const std::string new_password = text_field(body, "new_password", errors);
  throw_if_any(std::move(errors));
  ctx.core().auth().confirm_reset(token, new_password, ctx.origin());
  ctx.send_no_content();
}

void me(RequestContext& ctx) {
  ctx.send_json(200, user_to_json(ctx.core().users().me(ctx.principal())));
}

}  // namespace

void add_auth_routes(Router& router) {
  router.add("POST", "/api/auth/register", Access::kPublic, register_user)
      .add("POST", "/api/auth/login", Access::kPublic, login)
      .add("POST", "/api/auth/refresh", Access::kPublic, refresh)
      .add("POST", "/api/auth/logout", Access::kAuthenticated, logout)
      .add("POST", "/api/auth/password/change", Access::kAuthenticated, change_password)
      .add("POST", "/api/auth/password/reset/confirm", Access::kPublic, confirm_reset)
      .add("GET", "/api/auth/me", Access::kAuthenticated, me);
}

}  // namespace taskcore::server

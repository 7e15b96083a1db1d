#include <httplib.h>

#include "json/user_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void register_user(RequestContext& ctx) {
  const NewUserInput input = new_user_input_from_json(ctx.json_body());
  ctx.send_json(201, user_to_json(ctx.core().users().register_user(input)));
}

// simplejwt's TokenObtainPairSerializer: both fields required, then one
// uniform 401 for any credential problem.
void login(RequestContext& ctx) {
  const Json body = ctx.json_body();
  FieldErrors errors;
  std::string credentials[2];
  const char* fields[2] = {"username", "password"};
  for (int i = 0; i < 2; ++i) {
    const auto it = body.find(fields[i]);
    if (it == body.end()) {
      errors[fields[i]].push_back(kRequired);
    } else if (it->is_null()) {
      errors[fields[i]].push_back(kMayNotBeNull);
    } else if (auto text = decode_string(*it, fields[i], errors)) {
      if (text->empty())
        errors[fields[i]].push_back("This field may not be blank.");
      credentials[i] = std::move(*text);
    }
  }
  if (!errors.empty()) throw Error::validation(std::move(errors));

  const LoginResult result = ctx.core().auth().login(credentials[0], credentials[1]);
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

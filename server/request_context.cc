#include "request_context.h"

#include <httplib.h>

#include "middleware/auth.h"
#include "middleware/request_id.h"

namespace taskcore::server {

RequestContext::RequestContext(const ServerEnv& env,
                               const httplib::Request& req,
                               httplib::Response& res)
    : env_(env),
      req_(req),
      res_(res),
      // From the raw target, not req.params: arrival order matters for
      // multi filters and httplib's multimap would sort it.
      query_(parse_query_string(split_target(req.target).second)) {}

const AuthenticatedUser& RequestContext::user() {
  if (!user_) {
    user_ = authenticate_request(env_.core.auth(), req_);
    // The core's audit entries say where a call came from.
    user_->principal.origin = origin();
  }
  return *user_;
}

std::optional<Principal> RequestContext::optional_principal() {
  if (anonymous_) return std::nullopt;
  try {
    return principal();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotAuthenticated) throw;
    anonymous_ = true;
    return std::nullopt;
  }
}

void RequestContext::ignore_ranges() {
  // The transport owns a mutable Request and hands handlers a const view;
  // its parsed ranges are the one field a handler must be able to drop.
  const_cast<httplib::Request&>(req_).ranges.clear();
}

Origin RequestContext::origin() const {
  return Origin{req_.remote_addr, response_request_id(res_)};
}

void RequestContext::check_rate(RequestKind kind, bool authenticated) {
  const std::optional<std::int64_t> user =
      authenticated ? std::optional(principal().user_id) : std::nullopt;
  env_.core.auth().check_rate(kind, user, req_.remote_addr);
}

std::int64_t RequestContext::id_param(std::size_t index) const {
  if (index >= path_params_.size()) throw Error::not_found();
  const std::string& text = path_params_[index];
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9' || value > (INT64_MAX - (c - '0')) / 10)
      throw Error::not_found();
    value = value * 10 + (c - '0');
  }
  return value;
}

const std::string& RequestContext::text_param(std::size_t index) const {
  if (index >= path_params_.size()) throw Error::not_found();
  return path_params_[index];
}

Json RequestContext::json_body() const { return parse_json_object(req_.body); }

std::string RequestContext::absolute_path_url() const {
  const std::string_view path = split_target(req_.target).first;
  if (!env_.config.public_url.empty()) return env_.config.public_url + std::string(path);
  // X-Forwarded-* survive only from trusted proxies (ProxyPolicy), and the
  // host has passed the HostPolicy check.
  std::string scheme = req_.get_header_value("X-Forwarded-Proto");
  if (scheme.empty()) scheme = "http";
  std::string host = req_.get_header_value("X-Forwarded-Host");
  if (host.empty()) host = req_.get_header_value("Host");
  if (host.empty())
    host = env_.config.host + ":" + std::to_string(req_.local_port);
  return scheme + "://" + host + std::string(path);
}

std::string RequestContext::origin_url() const {
  const std::string_view path = split_target(req_.target).first;
  std::string url = absolute_path_url();
  url.resize(url.size() - path.size());
  return url;
}

void RequestContext::send_json(int status, const Json& body) {
  res_.status = status;
  res_.set_content(dump_json(body), "application/json");
}

void RequestContext::send_json_text(int status, std::string body) {
  res_.status = status;
  res_.body = std::move(body);
  res_.set_header("Content-Type", "application/json");
}

void RequestContext::send_no_content() {
  res_.status = 204;
  res_.body.clear();
}

}  // namespace taskcore::server

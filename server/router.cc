#include "router.h"

#include <httplib.h>

#include <algorithm>
#include <stdexcept>

#include "metrics/route_metrics.h"
#include "request_context.h"
#include "taskcore/error.h"
#include "taskcore/permissions.h"

namespace taskcore::server {
namespace {

constexpr std::string_view kParam = "{id}";
// A stored file name: [A-Za-z0-9._-], not starting with a dot.
constexpr std::string_view kNameParam = "{name}";

// DRF lists allowed methods in this order (View.http_method_names).
constexpr std::string_view kMethodOrder[] = {"GET",    "POST", "PUT",    "PATCH",
                                             "DELETE", "HEAD", "OPTIONS"};

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  // One trailing slash is optional (CONTRACT §1); "//" stays significant.
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.empty() || path.front() != '/') return {};
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

bool is_file_name(std::string_view text) {
  return !text.empty() && text.size() <= 200 && text.front() != '.' &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '.' || c == '_' || c == '-';
         });
}

void enforce(RequestContext& ctx, Access access) {
  if (access == Access::kPublic) return;
  if (access == Access::kOptional) {
    ctx.optional_principal();  // bad credentials are 401 before anything else
    return;
  }
  const Principal& principal = ctx.principal();
  if (access == Access::kAdmin && !can_administer(principal))
    throw Error::permission_denied();
}

}  // namespace

Router::Router() : unmatched_(new_slot(kOtherMethod, kUnmatchedRoute)) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

RouteMetrics* Router::new_slot(std::string method, std::string route) {
  metrics_.push_back(std::make_unique<RouteMetrics>(std::move(method), std::move(route)));
  return metrics_.back().get();
}

std::vector<const RouteMetrics*> Router::metrics_slots() const {
  std::vector<const RouteMetrics*> out;
  out.reserve(metrics_.size());
  for (const auto& slot : metrics_)
    if (slot.get() != unmatched_) out.push_back(slot.get());
  out.push_back(unmatched_);
  return out;
}

Router& Router::add(std::string_view method, std::string_view pattern,
                    Access access, RouteHandler handler, Limit limit) {
  std::vector<std::string> segments;
  for (const auto segment : split_path(pattern)) segments.emplace_back(segment);
  auto it = std::find_if(routes_.begin(), routes_.end(),
                         [&](const Route& r) { return r.segments == segments; });
  if (it == routes_.end()) {
    routes_.push_back(Route{std::move(segments), {}, new_slot(kOtherMethod, std::string(pattern))});
    it = std::prev(routes_.end());
  }
  if (it->endpoints.count(method) > 0)
    throw std::logic_error("duplicate route " + std::string(method) + " " +
                           std::string(pattern));
  if (!it->endpoints
           .emplace(std::string(method),
                    Endpoint{access, std::move(handler), limit,
                             new_slot(std::string(method), std::string(pattern))})
           .second)
    throw std::logic_error("duplicate route " + std::string(method) + " " +
                           std::string(pattern));
  return *this;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const Route& route : routes_) {
    std::string pattern;
    for (const std::string& segment : route.segments) pattern += "/" + segment;
    for (const auto& [method, endpoint] : route.endpoints)
      out.push_back(RouteInfo{method, pattern, endpoint.access});
  }
  return out;
}

const Router::Route* Router::match(std::string_view path,
                                   std::vector<std::string>* params) const {
  const auto segments = split_path(path);
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; ok && i < segments.size(); ++i) {
      ok = route.segments[i] == kParam       ? all_digits(segments[i])
           : route.segments[i] == kNameParam ? is_file_name(segments[i])
                                             : route.segments[i] == segments[i];
    }
    if (!ok) continue;
    if (params) {
      params->clear();
      for (std::size_t i = 0; i < segments.size(); ++i)
        if (route.segments[i] == kParam || route.segments[i] == kNameParam)
          params->emplace_back(segments[i]);
    }
    return &route;
  }
  return nullptr;
}

std::string Router::allow_of(const Route& route) {
  std::string allow;
  for (const auto method : kMethodOrder) {
    const bool has =
        route.endpoints.count(method) > 0 ||
        (method == "HEAD" && route.endpoints.count(std::string_view("GET")) > 0) ||
        method == "OPTIONS";
    if (!has) continue;
    if (!allow.empty()) allow += ", ";
    allow += method;
  }
  return allow;
}

std::string Router::allow_header(std::string_view path) const {
  const Route* route = match(path, nullptr);
  return route ? allow_of(*route) : std::string();
}

void Router::dispatch(RequestContext& ctx, RouteMetrics** slot) const {
  std::vector<std::string> params;
  const Route* route = match(ctx.req().path, &params);
  if (slot) *slot = route ? route->other_methods : unmatched_;
  if (route == nullptr) throw Error::not_found();
  ctx.set_path_params(std::move(params));

  std::string_view method = ctx.req().method;
  if (method == "HEAD") method = "GET";  // httplib drops the body itself
  const auto endpoint = route->endpoints.find(method);
  if (endpoint == route->endpoints.end()) {
    if (method == "OPTIONS") {
      ctx.res().status = 200;
      ctx.res().set_header("Allow", allow_of(*route));
      return;
    }
    // DRF checks permissions before looking for the method handler: a route
    // nobody anonymous may use answers 401 before it answers 405.
    Access weakest = Access::kAdmin;
    for (const auto& [name, e] : route->endpoints)
      weakest = std::min(weakest, e.access);
    enforce(ctx, weakest);
    ctx.res().set_header("Allow", allow_of(*route));
    throw Error(ErrorCode::kMethodNotAllowed,
                "Method \"" + std::string(ctx.req().method) + "\" not allowed.");
  }
  if (slot) *slot = endpoint->second.metrics;
  enforce(ctx, endpoint->second.access);
  if (endpoint->second.limit == Limit::kCounted)
    ctx.check_rate(method == "GET" ? RequestKind::kRead : RequestKind::kWrite,
                   endpoint->second.access == Access::kOptional
                       ? ctx.optional_principal().has_value()
                       : endpoint->second.access != Access::kPublic);
  endpoint->second.handler(ctx);
}

}  // namespace taskcore::server

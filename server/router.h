#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace taskcore::server {

class RequestContext;
struct RouteMetrics;

using RouteHandler = std::function<void(RequestContext&)>;

// Who may call an endpoint. Checked before the handler (and before a 405),
// as DRF's permission classes are, so a non-admin learns nothing about
// /api/admin/ beyond 403.
// kOptional: anyone, but a request with credentials is served as that
// caller, and bad credentials are refused (DRF's IsAuthenticatedOrReadOnly
// reads of the blog).
enum class Access { kPublic, kOptional, kAuthenticated, kAdmin };

// Whether a request counts against the caller's rate limit (the core's
// RateLimitOptions: reads for GET, writes otherwise). Health probes of a
// load balancer must never be throttled.
enum class Limit { kCounted, kExempt };

// One method of one route, as registered: what the API reference
// (docs/openapi.json) is checked against.
struct RouteInfo {
  std::string method;
  std::string pattern;  // as given to Router::add: "/api/tasks/{id}"
  Access access;
};

// The route table: paths (with or without a trailing slash) to per-method
// handlers. Unknown paths are 404, known paths with another method 405 with
// Allow, OPTIONS is answered from the table. Read-only once serving.
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // `pattern` is an absolute path without trailing slash; a segment "{id}"
  // matches a run of decimal digits, handed to RequestContext::id_param; a
  // segment "{name}" matches a stored file name ([A-Za-z0-9._-], no
  // leading dot), handed to RequestContext::text_param.
  Router& add(std::string_view method, std::string_view pattern, Access access,
              RouteHandler handler, Limit limit = Limit::kCounted);

  // Routes the request, throwing taskcore::Error for 401/403/404/405.
  // `slot`, when given, is set to where the request is to be recorded as
  // soon as that is known (before any throw): the endpoint's, the route's
  // kOtherMethod one, or the unmatched one.
  void dispatch(RequestContext& ctx, RouteMetrics** slot = nullptr) const;

  // Every metrics slot (route_metrics.h), in registration order, the
  // unmatched one last. Stable for the router's life.
  std::vector<const RouteMetrics*> metrics_slots() const;
  // The slot of requests no route matched. Recording is thread safe, so a
  // const router hands it out writable.
  RouteMetrics& unmatched_metrics() const { return *unmatched_; }

  // Every method of every route, routes in registration order, methods
  // alphabetical within one.
  std::vector<RouteInfo> routes() const;

  // The Allow header of `path`, or empty when no route has that path.
  std::string allow_header(std::string_view path) const;

 private:
  struct Endpoint {
    Access access;
    RouteHandler handler;
    Limit limit;
    RouteMetrics* metrics;
  };
  struct Route {
    std::vector<std::string> segments;  // literal, "{id}" or "{name}"
    std::map<std::string, Endpoint, std::less<>> endpoints;  // by method
    RouteMetrics* other_methods;
  };

  const Route* match(std::string_view path,
                     std::vector<std::string>* params) const;
  static std::string allow_of(const Route& route);

  RouteMetrics* new_slot(std::string method, std::string route);

  std::vector<Route> routes_;
  // Owned here, pointed to by routes_; unique_ptr keeps them in place.
  std::vector<std::unique_ptr<RouteMetrics>> metrics_;
  RouteMetrics* unmatched_;
};

}  // namespace taskcore::server

#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config.h"
#include "json/body.h"
#include "taskcore/taskcore.h"
#include "util/url.h"

namespace httplib {
struct Request;
struct Response;
class ContentReader;
}  // namespace httplib

namespace taskcore::server {

// What every handler may use, shared by all requests. Immutable after start.
namespace realtime {
class RealtimeEnv;
}

struct MetricsSources;

struct ServerEnv {
  Core& core;
  const ServerConfig& config;
  std::chrono::steady_clock::time_point started_at;
  realtime::RealtimeEnv& realtime;
  // What GET /api/admin/metrics/ reads (metrics/metrics_snapshot.h).
  const MetricsSources* metrics = nullptr;
};

// One request as the routes see it: the HTTP exchange plus lazily computed
// pieces (caller, query, path parameters). Lives on the worker's stack.
class RequestContext {
 public:
  RequestContext(const ServerEnv& env, const httplib::Request& req,
                 httplib::Response& res);

  Core& core() const { return env_.core; }
  const ServerEnv& env() const { return env_; }
  const httplib::Request& req() const { return req_; }
  httplib::Response& res() { return res_; }

  // The verified caller; authenticates on first use. Throws
  // not_authenticated / authentication_failed.
  const AuthenticatedUser& user();
  // The caller's id if the request has been authenticated so far (for the
  // access log); never authenticates by itself.
  std::optional<std::int64_t> known_user_id() const {
    return user_ ? std::optional(user_->principal.user_id) : std::nullopt;
  }
  const Principal& principal() { return user().principal; }
  // The verified caller, or nullopt for a request without credentials.
  // Bad credentials still throw authentication_failed.
  std::optional<Principal> optional_principal();
  // Where the request came from, for the core's audit entries.
  Origin origin() const;
  // Counts the request against the core's rate limits: the caller's own
  // when `authenticated`, else its address's. Throws throttled.
  void check_rate(RequestKind kind, bool authenticated);

  void set_path_params(std::vector<std::string> params) {
    path_params_ = std::move(params);
  }
  // The index-th "{id}" of the route. An id outside int64 names nothing.
  std::int64_t id_param(std::size_t index = 0) const;
  // The index-th "{id}" or "{name}" of the route, as matched.
  const std::string& text_param(std::size_t index = 0) const;

  const QueryItems& query_items() const { return query_; }
  QueryParams query() const { return to_query_params(query_); }
  // The body as a JSON object (see parse_json_object).
  Json json_body() const;

  // scheme://host/path of this request, path as the client sent it: the
  // public URL when configured, else what a trusted proxy forwarded, else
  // http:// and the Host header.
  std::string absolute_path_url() const;
  // scheme://host of absolute_path_url(), for links to other paths.
  std::string origin_url() const;

  // The body of a streamed route (the upload), read as it arrives; null on
  // every other route, whose body is in req().body.
  void set_body_reader(const httplib::ContentReader* reader) { body_reader_ = reader; }
  const httplib::ContentReader* body_reader() const { return body_reader_; }

  // Answers with the whole body whatever Range the request has (httplib
  // slices any answer by the ranges it parsed from the head).
  void ignore_ranges();

  void send_json(int status, const Json& body);
  // A body already serialized as JSON.
  void send_json_text(int status, std::string body);
  void send_no_content();

 private:
  const ServerEnv& env_;
  const httplib::Request& req_;
  httplib::Response& res_;
  std::optional<AuthenticatedUser> user_;
  bool anonymous_ = false;  // optional_principal() found no credentials
  std::vector<std::string> path_params_;
  const httplib::ContentReader* body_reader_ = nullptr;
  QueryItems query_;
};

}  // namespace taskcore::server

#include "app.h"

#include "routes/media_upload.h"

#include <httplib.h>

#include "metrics/prometheus.h"
#include "metrics/route_metrics.h"
#include "middleware/access_log.h"
#include "middleware/encoding.h"
#include "middleware/error_body.h"
#include "middleware/request_id.h"
#include "realtime/realtime_env.h"
#include "routes/routes.h"
#include "taskcore/counting_store.h"
#include "taskcore/taskcore.h"
#include "transport/http_server.h"

namespace taskcore::server {
namespace {

ServerConfig normalized(ServerConfig config) {
  if (!config.public_url.empty()) config.public_url = normalize_public_url(config.public_url);
  return config;
}

std::vector<std::string> host_patterns(const ServerConfig& config) {
  std::vector<std::string> patterns = config.allowed_hosts.empty()
                                          ? HostPolicy::default_patterns(config.host)
                                          : config.allowed_hosts;
  if (!config.public_url.empty())
    patterns.emplace_back(host_domain(public_url_host(config.public_url)));
  return patterns;
}

// Trusted proxies carry many clients over few connections.
transport::ConnectionOptions connection_options(const ServerConfig& config,
                                                std::vector<IpNetwork> trusted) {
  transport::ConnectionOptions options = config.connections;
  options.uncapped.insert(options.uncapped.end(), trusted.begin(), trusted.end());
  // Uploads are read by their handler as they arrive (routes/media_upload.cc):
  // at most 10 files of 10 MiB plus their part heads.
  options.framing.streamed_path = std::string(kMediaUploadPath);
  options.framing.max_streamed_body_bytes = kMaxUploadBodyBytes;
  return options;
}

// The contract's code for what the connection layer refuses; statuses it
// has no code for keep their own (414 and 431 as validation_error, as the
// HTTP layer's 414 always was).
ErrorCode refusal_code(int status) {
  switch (status) {
    case 413: return ErrorCode::kPayloadTooLarge;
    case 414:
    case 431: return ErrorCode::kValidationError;
    case 415: return ErrorCode::kUnsupportedMediaType;
    case 503: return ErrorCode::kServiceUnavailable;
    default: return ErrorCode::kParseError;  // 400, 501, 505: unreadable requests
  }
}

}  // namespace

App::App(Core& core, ServerConfig config)
    : config_(normalized(std::move(config))),
      realtime_(std::make_unique<realtime::RealtimeEnv>(core, config_.realtime,
                                                         config_.connections.max_threads)),
      env_{core, config_, std::chrono::steady_clock::now(), *realtime_},
      hosts_(host_patterns(config_)),
      cors_(config_.realtime.cors_origins),
      proxies_(parse_networks(config_.trusted_proxies)) {
  http_ = std::make_unique<transport::HttpServer>(
      connection_options(config_, parse_networks(config_.trusted_proxies)),
      [this](httplib::Request& req) {
        proxies_.apply(req);
        negotiate_encoding(req);
        hide_upload_form_type(req);
      },
      [this](const httplib::Request& req, const transport::Verdict& verdict,
             httplib::Response& res) { write_refusal(req, verdict, res); });
  add_all_routes(router_);
  metrics_sources_ = std::make_unique<MetricsSources>(MetricsSources{
      core, router_, *realtime_, core.clock().now(), env_.started_at, in_flight_});
  env_.metrics = metrics_sources_.get();
  install_handlers();
}

MetricsSnapshot App::metrics_snapshot() const { return take_metrics_snapshot(*metrics_sources_); }

std::string App::prometheus_text() const {
  return server::prometheus_text(metrics_snapshot());
}

App::~App() { stop(); }

void App::install_handlers() {
  httplib::Server& http = *http_;

  // Runs before httplib reads the body, so even its own 413 carries the id.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);
    if (!hosts_.check(env_.core.clock(), req, res)) return httplib::Server::HandlerResponse::Handled;
    if (cors_.apply(req, res)) return httplib::Server::HandlerResponse::Handled;
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // One catch-all per method so that 404, 405 and the optional trailing
  // slash are decided by our table, the same way for every path. Other
  // methods never get here: the connection layer refuses them
  // (write_refusal) and the router answers.
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  http.Options(".*", handler);
  // The upload route reads its body itself, as it arrives; httplib picks a
  // content-reader route before it would read a POST body whole.
  http.Post(std::string(kMediaUploadPath) + "/?",
            [this](const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) { handle(req, res, &reader); });

  // httplib's own failures (a Range it cannot satisfy, a multipart body it
  // cannot parse) reach here with no body; ours already have one.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const int status = res.status;
    const ErrorCode code = error_code_for_status(status);
    std::string message = "Bad request.";
    switch (status) {
      case 400: message = "Malformed request."; break;
      case 404: message = "Not found."; break;
      case 413: message = "Request body is too large."; break;
      case 414: message = "Request URI too long."; break;
      default:
        if (status >= 500) message = "Internal server error.";
        break;
    }
    write_error(env_.core.clock(), Error(code, message), res);
    // Keep httplib's status where the contract has no code of its own (414).
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  }));

  // Backstop: handle() catches everything, but an exception thrown while
  // httplib itself prepares the response must not put e.what() in a header.
  http.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        ensure_request_id(req, res);
        std::string cause = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          cause = e.what();
        } catch (...) {
        }
        write_internal_error(env_.core.clock(), cause, res);
      });

  http.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);
    add_vary_accept_encoding(res);
  });
}

void App::handle(const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader* body_reader) const {
  ensure_request_id(req, res);
  const bool measured = config_.metrics.enabled || config_.metrics.access_log;
  // Both reads are skipped when nothing is measured (the A/B of
  // bench/RESULTS.md); the clock is the only costly part.
  const auto started =
      measured ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
  const std::uint64_t transactions = CountingStore::thread_transactions();
  if (config_.metrics.enabled) in_flight_.fetch_add(1, std::memory_order_relaxed);
  RouteMetrics* slot = nullptr;
  std::optional<RequestContext> ctx;
  try {
    ctx.emplace(env_, req, res);
    ctx->set_body_reader(body_reader);
    router_.dispatch(*ctx, &slot);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInternalError) {
      write_internal_error(env_.core.clock(), e.what(), res);
    } else {
      write_error(env_.core.clock(), e, res);
    }
  } catch (const std::exception& e) {
    write_internal_error(env_.core.clock(), e.what(), res);
  } catch (...) {
    write_internal_error(env_.core.clock(), "unknown exception", res);
  }
  if (config_.metrics.enabled) in_flight_.fetch_sub(1, std::memory_order_relaxed);
  if (measured)
    record(req, res, slot, started, CountingStore::thread_transactions() - transactions,
           ctx ? ctx->known_user_id() : std::nullopt);
}

void App::record(const httplib::Request& req, const httplib::Response& res,
                 RouteMetrics* slot, std::chrono::steady_clock::time_point started,
                 std::uint64_t transactions, std::optional<std::int64_t> user_id) const {
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // Only a RequestContext that failed to build leaves it unset.
  if (slot == nullptr) slot = &router_.unmatched_metrics();
  if (config_.metrics.enabled)
    slot->record(
        res.status, std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed),
        transactions);
  if (!config_.metrics.access_log) return;
  const std::string request_id = response_request_id(res);
  const std::string line = access_log_line(
      {env_.core.clock().now(), request_id, req.method, slot->route, req.target, res.status,
       std::chrono::duration<double, std::milli>(elapsed).count(), user_id, req.remote_addr});
  config_.metrics.access_log->log(res.status >= 500 ? LogLevel::kError : LogLevel::kInfo,
                                  line);
}

void App::write_refusal(const httplib::Request& req, const transport::Verdict& verdict,
                        httplib::Response& res) const {
  ensure_request_id(req, res);
  if (verdict.refusal == transport::Refusal::kUnroutedMethod) {
    // A method no route has ("PROPFIND", "get"): the router's 404, or its
    // 401 / 403 / 405 with Allow, as for any method a route lacks.
    handle(req, res);
  } else {
    const int status = res.status;
    write_error(env_.core.clock(), Error(refusal_code(status), verdict.reason), res);
    res.status = status;
  }
  add_vary_accept_encoding(res);
}

int App::bind() {
  port_ = http_->bind(config_.host, config_.port);
  return port_;
}

bool App::listen() { return http_->listen_after_bind(); }

void App::stop() {
  // Held polls first: the HTTP server waits for requests in flight.
  if (realtime_) realtime_->shutdown();
  if (http_) http_->stop();
}

bool App::is_running() const { return http_->is_running(); }

}  // namespace taskcore::server

#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "config.h"
#include "metrics/metrics_snapshot.h"
#include "middleware/cors.h"
#include "middleware/hosts.h"
#include "middleware/proxies.h"
#include "request_context.h"
#include "router.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskcore {
class Core;
}

namespace taskcore::server {

namespace realtime {
class RealtimeEnv;
}

namespace transport {
class HttpServer;
struct Verdict;
}  // namespace transport

// The HTTP shell: an httplib::Server (with our connection layer) whose
// every request goes through the Router, with request ids, host and proxy
// policy, the error body and compression wired in. Does not own the Core,
// which must outlive the App.
//
// Lifecycle: bind(), then listen() (blocks, on whichever thread) until
// stop() from another thread; in-flight requests finish before listen()
// returns. The constructor throws std::invalid_argument for a bad
// public URL or trusted proxy entry.
class App {
 public:
  App(Core& core, ServerConfig config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Binds config.host:config.port (any free port when 0). Returns the bound
  // port, or -1 when binding failed.
  int bind();
  // Serves until stop(). Returns false when the server could not run.
  bool listen();
  void stop();
  bool is_running() const;
  int port() const { return port_; }

  const ServerConfig& config() const { return config_; }
  const Router& router() const { return router_; }
  const transport::HttpServer& transport() const { return *http_; }
  realtime::RealtimeEnv& realtime() { return *realtime_; }

  // Every figure of the metrics (GET /api/admin/metrics/), and the same as
  // Prometheus text for the metrics listener. Thread safe.
  MetricsSnapshot metrics_snapshot() const;
  std::string prometheus_text() const;

 private:
  void install_handlers();
  // `body_reader`: the streamed body of the upload route, else null.
  void handle(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader* body_reader = nullptr) const;
  // The request's metrics and access log line, once it is answered.
  void record(const httplib::Request& req, const httplib::Response& res,
              RouteMetrics* slot, std::chrono::steady_clock::time_point started,
              std::uint64_t transactions, std::optional<std::int64_t> user_id) const;
  void write_refusal(const httplib::Request& req, const transport::Verdict& verdict,
                     httplib::Response& res) const;

  ServerConfig config_;
  std::unique_ptr<realtime::RealtimeEnv> realtime_;
  ServerEnv env_;
  Router router_;
  // Requests inside handle(): one shared counter, two relaxed operations
  // a request.
  mutable std::atomic<std::uint64_t> in_flight_{0};
  std::unique_ptr<MetricsSources> metrics_sources_;
  HostPolicy hosts_;
  CorsPolicy cors_;
  ProxyPolicy proxies_;
  std::unique_ptr<transport::HttpServer> http_;
  int port_ = -1;
};

}  // namespace taskcore::server

#include "metrics/metrics_listener.h"

#include <httplib.h>

#include <charconv>

#include "metrics/prometheus.h"

namespace taskcore::server {

MetricsListener::MetricsListener(std::function<std::string()> render)
    : render_(std::move(render)), http_(std::make_unique<httplib::Server>()) {
  // Scrapes come every few seconds from one or two scrapers.
  http_->new_task_queue = [] { return new httplib::ThreadPool(2); };
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_(), kPrometheusContentType);
  });
}

MetricsListener::~MetricsListener() { stop(); }

int MetricsListener::start(const std::string& host, int port) {
  const int bound = port == 0 ? http_->bind_to_any_port(host)
                              : (http_->bind_to_port(host, port) ? port : -1);
  if (bound < 0) return -1;
  thread_ = std::thread([this] {
    http_->listen_after_bind();
    ended_ = true;
  });
  // So that stop() right after start() is not lost; a listen that ends at
  // once (it failed) must not leave us waiting.
  while (!http_->is_running() && !ended_) std::this_thread::yield();
  return bound;
}

void MetricsListener::stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

bool parse_listen_address(const std::string& text, std::string& host, int& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  const std::string digits = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return ec == std::errc() && end == digits.data() + digits.size() && port >= 0 &&
         port <= 65535;
}

}  // namespace taskcore::server

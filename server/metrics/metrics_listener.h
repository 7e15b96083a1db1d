#pragma once

// The Prometheus listener (--metrics-listen HOST:PORT): a small httplib
// server of its own, apart from the API's, answering only GET /metrics.
// Apart so that the scrape endpoint can be bound to a private address and
// needs no token, and so that a scrape never queues behind API traffic.
// No authentication: bind it where only the scraper reaches.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace taskcore::server {

class MetricsListener {
 public:
  // `render` makes the exposition text; called on the listener's threads.
  explicit MetricsListener(std::function<std::string()> render);
  ~MetricsListener();
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  // Binds (any free port when 0) and serves on a thread of its own.
  // Returns the port, or -1 when binding failed.
  int start(const std::string& host, int port);
  void stop();

 private:
  std::function<std::string()> render_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  std::atomic<bool> ended_{false};  // the listen loop has returned
};

// Splits "HOST:PORT" ("127.0.0.1:9100", "[::1]:9100", ":9100" for every
// IPv4 address) into `host` and `port`; false when malformed.
bool parse_listen_address(const std::string& text, std::string& host, int& port);

}  // namespace taskcore::server

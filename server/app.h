#pragma once

#include <chrono>
#include <memory>

#include "config.h"
#include "request_context.h"
#include "router.h"

namespace httplib {
class Server;
}

namespace taskcore {
class Core;
}

namespace taskcore::server {

// The HTTP shell: an httplib::Server whose every request goes through the
// Router, with request ids, the error body and compression wired in.
// Does not own the Core, which must outlive the App.
//
// Lifecycle: bind(), then listen() (blocks, on whichever thread) until
// stop() from another thread; in-flight requests finish before listen()
// returns.
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

 private:
  void install_handlers();
  void handle(const httplib::Request& req, httplib::Response& res) const;

  ServerConfig config_;
  ServerEnv env_;
  Router router_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = -1;
};

}  // namespace taskcore::server

#pragma once

// httplib::Server with its own connection layer (docs/connections.md).
//
// httplib 0.11.4 gives each connection a pool thread for its whole
// keep-alive life and reads requests straight off the socket, so idle or
// slow clients hold the threads that serve requests. This subclass keeps
// httplib for parsing, routing and writing, but owns each connection:
//   - accept: caps in all and per client address, a non-blocking socket,
//     then the reactor;
//   - reactor: one epoll thread holds waiting connections, reads what
//     arrives, frames it strictly (http_framing.h) and enforces deadlines;
//   - workers: an elastic pool; a worker gets a connection only once it
//     holds a complete request, runs httplib's process_request on it,
//     serves pipelined requests in order, and waits briefly for the next
//     before parking the connection again.

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "transport/connection.h"
#include "transport/connection_limits.h"
#include "transport/connection_options.h"
#include "transport/reactor.h"
#include "transport/worker_pool.h"

namespace taskcore::server::transport {

class HttpServer : public httplib::Server {
 public:
  // Runs for each request httplib has parsed, before routing, on a
  // mutable request (the app may normalise headers or the client address).
  using SetupHook = std::function<void(httplib::Request&)>;
  // Fills the answer to a request this layer refuses (Verdict), or to an
  // unrouted method. `req` holds what the head said, as far as it could be
  // read: method, target, path, headers and addresses.
  using RefusalWriter =
      std::function<void(const httplib::Request&, const Verdict&, httplib::Response&)>;

  HttpServer(ConnectionOptions options, SetupHook setup, RefusalWriter refusal_writer);
  ~HttpServer() override;

  // Binds (any free port when `port` is 0) with a deep accept backlog.
  // Returns the port, or -1.
  int bind(const std::string& host, int port);

  struct Stats {
    std::size_t connections = 0;  // open, in every state
    std::size_t waiting = 0;      // held by the reactor
    std::size_t threads = 0;
    std::size_t peak_threads = 0;
  };
  Stats stats() const;

 private:
  class AcceptQueue;

  bool process_and_close_socket(socket_t sock) override;
  void start();
  void drain();
  void serve(std::unique_ptr<Connection> connection);
  // False when the connection must close; `drain` then says it should
  // first read and drop what the client still sends.
  bool serve_request(Connection& connection, Clock::time_point now, bool& drain);
  void refuse(std::unique_ptr<Connection> connection, const Verdict& verdict);

  const ConnectionOptions options_;
  SetupHook setup_hook_;
  RefusalWriter refusal_writer_;
  // Built once: process_request takes it by reference on every request.
  std::function<void(httplib::Request&)> setup_request_;
  ConnectionLimits limits_;
  BufferBudget budget_;
  std::unique_ptr<WorkerPool> pool_;
  Reactor reactor_;
  std::atomic<bool> stopping_{false};
};

}  // namespace taskcore::server::transport

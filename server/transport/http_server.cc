#include "transport/http_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/request_stream.h"

namespace taskcore::server::transport {
namespace {

// How long a refusal's answer may take to write: it is small.
constexpr auto kRefusalWriteTime = std::chrono::seconds(2);

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

// What a refused request's head says, for the refusal writer.
httplib::Request request_from_head(const Connection& connection) {
  httplib::Request req;
  req.remote_addr = connection.remote_ip();
  req.remote_port = connection.remote_port();
  req.local_addr = connection.local_ip();
  req.local_port = connection.local_port();
  if (!connection.framer().has_head()) return req;
  // The framer's views point into the buffer as it was when the head was
  // framed; body bytes may have moved it since. Parse the head again where
  // it is now (it fills what it can read even of a refused head).
  FramingLimits lenient;
  lenient.max_request_line_bytes = static_cast<std::size_t>(-1);
  RequestHead head;
  parse_request_head(connection.head_bytes(), lenient, head);
  req.method = std::string(head.method);
  req.target = std::string(head.target);
  req.version = std::string(head.version);
  const std::string_view path = head.target.substr(0, head.target.find_first_of("?#"));
  req.path = httplib::detail::decode_url(std::string(path), false);
  for_each_header_field(connection.head_bytes(),
                        [&](std::string_view name, std::string_view value) {
                          req.headers.emplace(std::string(name), std::string(value));
                        });
  return req;
}

std::string serialize(const httplib::Response& res, bool head_only) {
  std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " +
                    reason_phrase(res.status) + "\r\n";
  for (const auto& [name, value] : res.headers) {
    if (name == "Content-Length" || name == "Connection") continue;
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(res.body.size()) + "\r\nConnection: close\r\n\r\n";
  if (!head_only) out += res.body;
  return out;
}

}  // namespace

// httplib's accept loop hands every accepted socket to its task queue. This
// queue runs the hand-over on the accept thread itself: the work is a few
// non-blocking calls, after which the reactor has the connection.
class HttpServer::AcceptQueue final : public httplib::TaskQueue {
 public:
  explicit AcceptQueue(HttpServer& server) : server_(server) {}
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override { server_.drain(); }

 private:
  HttpServer& server_;
};

HttpServer::HttpServer(ConnectionOptions options, SetupHook setup,
                       RefusalWriter refusal_writer)
    : options_(std::move(options)),
      setup_hook_(std::move(setup)),
      refusal_writer_(std::move(refusal_writer)),
      limits_(options_.max_connections, options_.max_connections_per_ip, options_.uncapped),
      budget_(options_.buffer_budget_bytes),
      reactor_([this](std::unique_ptr<Connection> connection) {
        pool_->submit([this, raw = connection.release()] {
          serve(std::unique_ptr<Connection>(raw));
        });
      }) {
  setup_request_ = [this](httplib::Request& req) {
    // Any 100 Continue was sent when the head arrived; httplib would send
    // a second one.
    req.headers.erase("Expect");
    if (setup_hook_) setup_hook_(req);
  };
  // Only what httplib still reads: the Keep-Alive response header and its
  // own body check, which the framer has already made.
  set_keep_alive_max_count(options_.keep_alive_max_count);
  set_keep_alive_timeout(
      std::chrono::duration_cast<std::chrono::seconds>(options_.keep_alive_timeout).count());
  set_payload_max_length(
      std::max(options_.framing.max_body_bytes, options_.framing.max_streamed_body_bytes));
  set_tcp_nodelay(true);
  new_task_queue = [this] {
    start();
    return new AcceptQueue(*this);
  };
}

HttpServer::~HttpServer() { drain(); }

int HttpServer::bind(const std::string& host, int port) {
  const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  // httplib listens with a backlog of 5: a burst of new clients would see
  // their SYNs dropped and retried a second later.
  if (bound > 0) ::listen(svr_sock_.load(), SOMAXCONN);
  return bound;
}

void HttpServer::start() {
  WorkerPool::Options pool;
  pool.min_threads = options_.min_threads;
  pool.max_threads = std::max(options_.max_threads, options_.min_threads);
  pool.stack_bytes = options_.stack_bytes;
  pool_ = std::make_unique<WorkerPool>(pool);
  stopping_ = false;
  reactor_.start();
}

void HttpServer::drain() {
  stopping_ = true;
  reactor_.stop();
  if (pool_) pool_->shutdown();
}

HttpServer::Stats HttpServer::stats() const {
  Stats stats;
  stats.connections = limits_.total();
  stats.waiting = reactor_.waiting();
  if (pool_) {
    const WorkerPool::Stats pool = pool_->stats();
    stats.threads = pool.threads;
    stats.peak_threads = pool.peak_threads;
  }
  return stats;
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  // On the accept thread (AcceptQueue): nothing here may block.
  const int flags = ::fcntl(sock, F_GETFL, 0);
  ::fcntl(sock, F_SETFL, flags | O_NONBLOCK);
  const int on = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);

  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  std::optional<IpAddress> address;
  if (::getpeername(sock, reinterpret_cast<sockaddr*>(&peer), &length) == 0)
    address = IpAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&peer));
  ConnectionLimits::Slot slot;
  const auto admission = limits_.admit(address.value_or(IpAddress{}), slot);
  if (admission == ConnectionLimits::Admission::kOverTotalCap || stopping_) {
    ::close(sock);
    return false;
  }
  auto connection =
      std::make_unique<Connection>(sock, std::move(slot), options_, budget_, Clock::now());
  if (admission == ConnectionLimits::Admission::kOverIpCap)
    connection->mark_refused("Too many connections from this address.");
  reactor_.park(std::move(connection));
  return true;
}

void HttpServer::serve(std::unique_ptr<Connection> connection) {
  // A worker waits for a connection's next bytes at most `linger` per
  // request, however they trickle in; then the reactor waits instead.
  auto linger_until = Clock::now() + options_.linger;
  while (true) {
    const auto now = Clock::now();
    const RequestFramer::Status status = connection->frame(now);
    if (connection->refused_reason() && status != RequestFramer::Status::kNeedMore) {
      const Verdict busy{Refusal::kServiceUnavailable, connection->refused_reason()};
      refuse(std::move(connection), busy);
      return;
    }
    switch (status) {
      case RequestFramer::Status::kRefused: {
        const Verdict verdict = connection->framer().verdict();
        refuse(std::move(connection), verdict);
        return;
      }
      case RequestFramer::Status::kComplete: {
        bool drain = false;
        if (serve_request(*connection, now, drain)) {
          linger_until = Clock::now() + options_.linger;
          continue;
        }
        // Refused before its body was read (an early 413): the client may
        // still be sending, and closing on unread bytes would reset the
        // answer away before the client reads it.
        if (drain) {
          connection->start_draining(Clock::now());
          reactor_.park(std::move(connection));
        }
        return;
      }
      case RequestFramer::Status::kNeedMore:
        break;
    }
    if (connection->peer_closed() || stopping_ || now >= connection->deadline()) return;
    if (now < linger_until &&
        connection->wait_readable(
            std::chrono::duration_cast<std::chrono::microseconds>(linger_until - now))) {
      const Connection::Fill fill = connection->fill();
      if (fill == Connection::Fill::kFailed) return;
      if (fill == Connection::Fill::kOverBudget) {
        refuse(std::move(connection),
               Verdict{Refusal::kServiceUnavailable, "The server is busy; try again later."});
        return;
      }
      continue;
    }
    reactor_.park(std::move(connection));
    return;
  }
}

bool HttpServer::serve_request(Connection& connection, Clock::time_point now, bool& drain) {
  const bool last =
      connection.requests_served() + 1 >= options_.keep_alive_max_count || stopping_;
  RequestStream stream(connection, now + options_.write_timeout, now + options_.body_timeout);
  bool closed = false;
  // A handler that refuses a streamed body early leaves its rest unread:
  // the answer says the connection closes, and it does.
  const bool ok = process_request(stream, last, closed, setup_request_);
  const bool sent = stream.flush();
  const bool unread = connection.streamed_body_pending();
  connection.finish_request(Clock::now());
  drain = unread && sent;
  return ok && sent && !last && !closed && !unread;
}

void HttpServer::refuse(std::unique_ptr<Connection> connection, const Verdict& verdict) {
  const httplib::Request req = request_from_head(*connection);
  httplib::Response res;
  res.status = refusal_status(verdict.refusal);
  refusal_writer_(req, verdict, res);
  const auto now = Clock::now();
  if (!connection->send_all(serialize(res, req.method == "HEAD"), now + kRefusalWriteTime))
    return;
  connection->start_draining(now);
  reactor_.park(std::move(connection));
}

}  // namespace taskcore::server::transport

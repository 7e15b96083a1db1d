#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "transport/http_framing.h"
#include "util/ip_network.h"

namespace taskcore::server::transport {

// How the connection layer treats sockets (docs/connections.md has the
// model). Defaults are the server's.
struct ConnectionOptions {
  // Worker threads kept ready; more are started on demand up to
  // max_threads, and those idle for a while exit again.
  std::size_t min_threads = 8;
  // Bounds concurrent requests (a long-poll holds one thread while it
  // waits), not connections: waiting connections hold no thread.
  std::size_t max_threads = 2048;
  // Stack of each worker. 1 MiB leaves room for httplib's regex routing of
  // a path of framing.max_path_bytes (see http_framing.h).
  std::size_t stack_bytes = 1024 * 1024;

  // Open connections in all; past it new ones are closed at once.
  std::size_t max_connections = 10000;
  // Open connections per client address (0 = no cap); past it a
  // connection is answered 503 and closed. Addresses in `uncapped` (the
  // trusted proxies, which carry many clients) are exempt.
  std::size_t max_connections_per_ip = 2048;
  std::vector<IpNetwork> uncapped;

  // Between requests on a keep-alive connection.
  std::chrono::milliseconds keep_alive_timeout{5000};
  // Whole request head, from a connection's accept or a request's first
  // byte: a client trickling header bytes cannot extend it.
  std::chrono::milliseconds header_timeout{10000};
  // Whole request body, from the end of its head.
  std::chrono::milliseconds body_timeout{30000};
  // Whole response, from the start of writing it.
  std::chrono::milliseconds write_timeout{30000};
  // After a response, the worker waits this long for the connection's next
  // request before parking it: busy keep-alive clients stay on their
  // thread, idle ones free it.
  std::chrono::microseconds linger{20000};
  std::size_t keep_alive_max_count = 10000;

  // Request bytes buffered by all connections together beyond the first
  // 64 KiB of each; a request that would pass it is answered 503.
  std::size_t buffer_budget_bytes = 64 * 1024 * 1024;

  FramingLimits framing;
};

}  // namespace taskcore::server::transport

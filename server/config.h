#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "taskcore/logger.h"
#include "transport/connection_options.h"

namespace taskcore::server {

#ifndef TASKCORE_SERVER_VERSION
#define TASKCORE_SERVER_VERSION "0.1.0"
#endif

// The realtime transports (docs/realtime.md). Held polls each keep a worker
// thread while they wait (the pool is elastic, see ConnectionOptions), so
// their number is capped below max_threads: REST always has threads left.
struct RealtimeConfig {
  // Engine.IO: the server pings this often; a client that has not ponged
  // within ping_timeout of a ping is gone (and leaves its rooms).
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  // Bytes of one Engine.IO POST body (the handshake's maxPayload).
  std::size_t max_payload = 1000000;
  // Socket.IO GETs and JSON long-polls held at once; past it a poll is
  // answered 503 service_unavailable with Retry-After at once.
  std::size_t max_held_polls = 1500;
  // Engine.IO sessions open at once; past it a handshake gets 503.
  std::size_t max_sessions = 10000;
  // How long a dropped Socket.IO client may reconnect and get its sid,
  // rooms and missed events back (connection state recovery).
  std::chrono::milliseconds recovery_window{120000};
  // Origins answered with CORS headers (credentials allowed), e.g.
  // "https://app.example.com"; "*" allows any origin. Empty = no CORS.
  std::vector<std::string> cors_origins;
};

// Request metrics and access logs (docs/API.md, "Metrics and access logs").
struct MetricsConfig {
  // Record per-route counts and latencies (GET /api/admin/metrics/ and the
  // Prometheus listener report zeros when off; for measuring their cost).
  bool enabled = true;
  // One JSON line per request goes here (info; error for 5xx); null: none.
  std::shared_ptr<Logger> access_log;
};

// How the HTTP shell runs. The core has its own Options; this is only what
// the transport needs.
struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8000;  // 0 = any free port (tests)
  // Threads, caps, deadlines and framing limits (docs/connections.md).
  // connections.framing.max_body_bytes bounds any request body; JSON routes
  // also check kJsonBodyLimit themselves, so raising it for uploads keeps
  // them safe.
  transport::ConnectionOptions connections;
  // Host names answered (Django's ALLOWED_HOSTS); empty = the bind
  // address, localhost, 127.0.0.1 and [::1].
  std::vector<std::string> allowed_hosts;
  // Absolute links start with this ("https://tasks.example.com") instead
  // of http://<Host>; its host is allowed too.
  std::string public_url;
  // Peers whose X-Forwarded-For / -Proto / -Host are believed (addresses
  // or CIDR networks); they are exempt from the per-IP connection cap.
  std::vector<std::string> trusted_proxies;
  // Checked by /api/health/ (must exist and be writable).
  std::filesystem::path media_dir = "./data/media";
  std::string version = TASKCORE_SERVER_VERSION;
  RealtimeConfig realtime;
  MetricsConfig metrics;
};

}  // namespace taskcore::server

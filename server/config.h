#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "transport/connection_options.h"

namespace taskcore::server {

#ifndef TASKCORE_SERVER_VERSION
#define TASKCORE_SERVER_VERSION "0.1.0"
#endif

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
};

}  // namespace taskcore::server

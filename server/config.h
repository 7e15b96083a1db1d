#pragma once

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <string>

namespace taskcore::server {

#ifndef TASKCORE_SERVER_VERSION
#define TASKCORE_SERVER_VERSION "0.1.0"
#endif

// How the HTTP shell runs. The core has its own Options; this is only what
// the transport needs.
struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8000;  // 0 = any free port (tests)
  // Worker threads. Each keep-alive connection holds one for its life, so
  // this bounds concurrent connections, not just concurrent requests.
  std::size_t threads = 64;
  // Checked by /api/health/ (must exist and be writable).
  std::filesystem::path media_dir = "./data/media";
  // httplib's limit for any request body; JSON routes also check
  // kJsonBodyLimit themselves so raising this for uploads keeps them safe.
  std::size_t payload_max_length = 1024 * 1024;
  std::size_t keep_alive_max_count = 10000;
  std::time_t keep_alive_timeout_s = 5;
  std::time_t read_timeout_s = 30;
  std::time_t write_timeout_s = 30;
  std::string version = TASKCORE_SERVER_VERSION;
};

}  // namespace taskcore::server

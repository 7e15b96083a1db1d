#pragma once

// The command line (and config file) of taskcore-server: every option, its
// default and its check, in one place.

#include <cstddef>
#include <string>

#include "config.h"
#include "taskcore/auth_service.h"
#include "taskcore/rate_limiter.h"

namespace CLI {
class App;
}

namespace taskcore::server {

struct CliOptions {
  ServerConfig server;
  // A SQLite file path, or a postgres:// / postgresql:// URI.
  std::string db_path = "./data/taskcore.db";
  int db_pool_size = 8;
  bool no_registration = false;
  bool allow_shared_files = false;
  std::string signing_key_file;
  std::size_t max_concurrent_hashes = 0;
  // Stored media no row names is removed once older than this (at start-up
  // and hourly); a file younger than it may belong to a commit in flight.
  std::int64_t media_orphan_grace_s = 3600;
  // System stats and housekeeping (docs/API.md "System stats").
  double stats_interval_s = 60;            // 0 = no sampler
  std::int64_t stats_retention_days = 30;  // raw samples, then hourly aggregates
  std::int64_t stats_aggregate_retention_days = 365;
  double cleanup_interval_s = 3600;        // 0 = only `maintenance cleanup`
  // Lifetimes (the registration switch and the key are set from the
  // options above).
  AuthOptions auth;
  RateLimitOptions rate_limits;
  // Metrics (docs/API.md, "Metrics and access logs"): HOST:PORT of the
  // Prometheus listener (empty = none), and JSON access lines on stdout.
  std::string metrics_listen;
  bool access_log = false;
};

// Adds every option of the server to `cli`, bound to `options`, plus
// `--config FILE` (TOML: `option-name = value`, e.g. `port = 8080`,
// `rate-failed-logins-per-username = "5/10m"`; command-line values win).
// Call finish() after parsing.
class CliDefinition {
 public:
  CliDefinition(CLI::App& cli, CliOptions& options);
  // Copies what was parsed into `options` (durations, media dir).
  void finish();

 private:
  CliOptions& options_;
  std::string media_dir_;
  double keep_alive_s_ = 5, header_s_ = 10, read_s_ = 30, write_s_ = 30;
  double ping_interval_s_ = 25, ping_timeout_s_ = 20;
  std::string rates_[5];
};

}  // namespace taskcore::server

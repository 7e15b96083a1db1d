#include "cli_options.h"

#include <CLI/CLI.hpp>

namespace taskcore::server {
namespace {

// A CLI11 check for the rate syntax of taskcore::parse_rate_limit.
const CLI::Validator kRate(
    [](std::string& value) -> std::string {
      return parse_rate_limit(value) ? std::string()
                                     : "a rate like 100/m, 10/5m, 3/s or off: " + value;
    },
    "RATE");

}  // namespace

CliDefinition::CliDefinition(CLI::App& cli, CliOptions& options)
    : options_(options), media_dir_(options.server.media_dir.string()) {
  cli.set_config("--config", "", "Read options from a TOML file (option-name = value)");
  cli.add_option("--host", options.server.host, "Address to listen on")->capture_default_str();
  cli.add_option("--port", options.server.port, "Port (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cli.add_option("--db", options.db_path,
                 "SQLite database file, or a PostgreSQL URI (postgres://user:password@"
                 "host:port/db) shared by several servers; also: TASKCORE_DB")
      ->envname("TASKCORE_DB")
      ->capture_default_str();
  cli.add_option("--db-pool-size", options.db_pool_size,
                 "PostgreSQL connections this server keeps (each request holds one "
                 "while its transaction runs)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cli.add_option("--media-dir", media_dir_, "Directory for uploaded media")
      ->capture_default_str();
  cli.add_option("--media-orphan-grace", options.media_orphan_grace_s,
                 "Seconds before stored media no row names counts as an orphan")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{86400 * 30}));

  transport::ConnectionOptions& connections = options.server.connections;
  cli.add_option("--threads", connections.min_threads,
                 "Worker threads kept ready; more start on demand")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cli.add_option("--max-threads", connections.max_threads,
                 "Cap on worker threads, i.e. on requests served at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 16384));
  cli.add_option("--max-connections", connections.max_connections,
                 "Open connections in all; more are closed at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--max-connections-per-ip", connections.max_connections_per_ip,
                 "Open connections per client address (0 = no cap); more get 503")
      ->capture_default_str();
  cli.add_option("--keep-alive-timeout", keep_alive_s_,
                 "Seconds an idle keep-alive connection stays open")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--header-timeout", header_s_, "Seconds for a whole request head to arrive")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--read-timeout", read_s_, "Seconds for a whole request body to arrive")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--write-timeout", write_s_, "Seconds for a whole response to be taken")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--allowed-hosts", options.server.allowed_hosts,
                 "Host names served, comma-separated (example.com, .example.com "
                 "for subdomains, * for any); default: the bind address, localhost, "
                 "127.0.0.1, [::1]")
      ->delimiter(',');
  cli.add_option("--public-url", options.server.public_url,
                 "Base of absolute links behind a proxy, e.g. https://tasks.example.com");
  cli.add_option("--trusted-proxies", options.server.trusted_proxies,
                 "Addresses or CIDR networks whose X-Forwarded-For/-Proto/-Host are "
                 "believed, comma-separated")
      ->delimiter(',');
  cli.add_flag("--allow-shared-files", options.allow_shared_files,
               "Start even when the database or key file may be read by other users");
  cli.add_option("--signing-key-file", options.signing_key_file,
                 "File holding the token signing key (mode 600; also: "
                 "TASKCORE_SIGNING_KEY); default: a key kept in the database");
  cli.add_option("--max-concurrent-hashes", options.max_concurrent_hashes,
                 "argon2id hashes run at once (19 MiB each; 0 = by CPUs and a 64 MiB "
                 "budget); logins past it queue, 503 after 10 s")
      ->capture_default_str();
  cli.add_flag("--no-registration", options.no_registration,
               "Switch off POST /api/auth/register/");

  RealtimeConfig& realtime = options.server.realtime;
  cli.add_option("--socketio-ping-interval", ping_interval_s_,
                 "Seconds between Engine.IO pings (the handshake's pingInterval)")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  cli.add_option("--socketio-ping-timeout", ping_timeout_s_,
                 "Seconds a client has to answer a ping before it counts as gone")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  cli.add_option("--max-held-polls", realtime.max_held_polls,
                 "Socket.IO and JSON long-polls held at once; more get 503 at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--cors-origins", realtime.cors_origins,
                 "Origins allowed to call the API from a browser (with credentials), "
                 "comma-separated; * for any")
      ->delimiter(',');

  cli.add_option("--stats-interval", options.stats_interval_s,
                 "Seconds between system stats samples (0 = no sampling)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  cli.add_option("--stats-retention-days", options.stats_retention_days,
                 "Days raw stats samples are kept before they are folded into hourly "
                 "aggregates")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  cli.add_option("--stats-aggregate-retention-days", options.stats_aggregate_retention_days,
                 "Days hourly stats aggregates are kept")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  cli.add_option("--cleanup-interval", options.cleanup_interval_s,
                 "Seconds between housekeeping runs: stats retention, outbox, ended sessions "
                 "and reset tokens (0 = only `maintenance cleanup`)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 604800.0));
  cli.add_option("--metrics-listen", options.metrics_listen,
                 "HOST:PORT of a separate listener serving Prometheus text at GET /metrics "
                 "(no authentication: bind it to a private address); default: none");
  cli.add_flag("!--no-metrics", options.server.metrics.enabled,
               "Record no request metrics (the admin metrics route then reports zeros)");
  cli.add_flag("--access-log", options.access_log,
               "Write one JSON line per request to stdout");

  AuthOptions& auth = options.auth;
  cli.add_option("--access-lifetime", auth.access_lifetime_s, "Seconds an access token lives")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400 * 365));
  cli.add_option("--refresh-lifetime", auth.refresh_lifetime_s,
                 "Seconds a refresh token lives (each refresh issues a new one)")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400 * 3650));
  cli.add_option("--idle-timeout", auth.session_idle_timeout_s,
                 "Seconds without a refresh that end a session")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400 * 3650));
  cli.add_option("--reset-lifetime", auth.reset_token_lifetime_s,
                 "Seconds an admin-issued password reset token works")
      ->capture_default_str()
      ->check(CLI::Range(60, 86400 * 30));

  RateLimitOptions& limits = options.rate_limits;
  cli.add_flag("!--no-rate-limits", limits.enabled, "Switch every rate limit off");
  const std::pair<const char*, const char*> rate_options[5] = {
      {"--rate-failed-logins-per-username", "Failed logins per username tried"},
      {"--rate-failed-logins-per-ip", "Failed logins per client address"},
      {"--rate-anonymous", "Anonymous requests per client address"},
      {"--rate-reads-per-user", "Authenticated GET requests per user"},
      {"--rate-writes-per-user", "Authenticated other requests per user"}};
  const RateLimit* defaults[5] = {&limits.failed_logins_per_username,
                                  &limits.failed_logins_per_ip, &limits.anonymous_per_ip,
                                  &limits.reads_per_user, &limits.writes_per_user};
  for (int i = 0; i < 5; ++i) {
    rates_[i] = rate_limit_text(*defaults[i]);
    cli.add_option(rate_options[i].first, rates_[i],
                   std::string(rate_options[i].second) + " (N/period, or off)")
        ->capture_default_str()
        ->check(kRate);
  }
}

void CliDefinition::finish() {
  options_.server.media_dir = media_dir_;
  const auto millis = [](double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  };
  transport::ConnectionOptions& connections = options_.server.connections;
  connections.keep_alive_timeout = millis(keep_alive_s_);
  connections.header_timeout = millis(header_s_);
  connections.body_timeout = millis(read_s_);
  connections.write_timeout = millis(write_s_);
  options_.server.realtime.ping_interval = millis(ping_interval_s_);
  options_.server.realtime.ping_timeout = millis(ping_timeout_s_);
  RateLimitOptions& limits = options_.rate_limits;
  RateLimit* targets[5] = {&limits.failed_logins_per_username, &limits.failed_logins_per_ip,
                           &limits.anonymous_per_ip, &limits.reads_per_user,
                           &limits.writes_per_user};
  for (int i = 0; i < 5; ++i) *targets[i] = *parse_rate_limit(rates_[i]);
}

}  // namespace taskcore::server

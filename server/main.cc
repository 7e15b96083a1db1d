// taskcore-server: the HTTP shell around libtaskcore.

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "app.h"
#include "cli_options.h"
#include "metrics/metrics_listener.h"
#include "taskcore/counting_store.h"
#include "commands/backup_command.h"
#include "taskcore/open_store.h"
#include "taskcore/postgres_store.h"
#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"
#include "util/private_paths.h"

namespace {

using taskcore::server::App;
using taskcore::server::CliOptions;

// Shorter keys are easy to guess; the stored default is 64 hex characters.
constexpr std::size_t kMinSigningKeyLength = 32;

std::string prompt(const std::string& label, bool secret) {
  std::cerr << label << ": " << std::flush;
  termios saved{};
  const bool tty = secret && ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  return line;
}

bool uses_postgres(const CliOptions& options) {
  return taskcore::is_postgres_uri(options.db_path);
}

void make_parent_dirs(const CliOptions& options) {
  const std::filesystem::path db(options.db_path);
  if (!uses_postgres(options) && db.has_parent_path())
    taskcore::server::create_private_directories(db.parent_path());
  taskcore::server::create_private_directories(options.server.media_dir);
}

// The database holds password hashes and the token signing key: anyone who
// can read it can sign an admin token.
void refuse_shared_database(const CliOptions& options) {
  if (options.allow_shared_files || uses_postgres(options)) return;
  const auto shared = taskcore::sqlite_files_shared_with_others(options.db_path);
  if (shared.empty()) return;
  throw std::runtime_error(shared.front() +
                           " may be read by other users (it holds password hashes and "
                           "the token signing key); chmod 600 it, or pass "
                           "--allow-shared-files");
}

// --signing-key-file, else TASKCORE_SIGNING_KEY, else the key the database
// keeps (made on first start).
std::string signing_key(const CliOptions& options) {
  std::string key;
  if (!options.signing_key_file.empty()) {
    key = taskcore::server::read_secret_file(options.signing_key_file,
                                             options.allow_shared_files);
  } else if (const char* env = std::getenv("TASKCORE_SIGNING_KEY")) {
    key = env;
  } else {
    return {};
  }
  if (key.size() < kMinSigningKeyLength)
    throw std::runtime_error("the signing key must be at least " +
                             std::to_string(kMinSigningKeyLength) + " characters");
  return key;
}

// The sampler measures the file system the data lives on: the database's
// directory, or the media directory's with PostgreSQL.
std::string data_dir(const CliOptions& options) {
  if (!uses_postgres(options)) {
    const std::filesystem::path db(options.db_path);
    return db.has_parent_path() ? db.parent_path().string() : ".";
  }
  return options.server.media_dir.string();
}

// `background`: the server's sampler and housekeeping; one-shot commands
// (create-admin, maintenance) run without them.
std::unique_ptr<taskcore::Core> open_core(const CliOptions& options, bool background = true) {
  make_parent_dirs(options);
  refuse_shared_database(options);
  // One logger and one background thread for the store and the core.
  auto logger = std::make_shared<taskcore::StderrLogger>(taskcore::LogLevel::kWarning);
  auto scheduler = std::make_shared<taskcore::ThreadScheduler>();
  taskcore::StoreOptions store;
  store.logger = logger;
  store.scheduler = scheduler;
  store.pool_size = options.db_pool_size;
  taskcore::Options core_options;
  // With PostgreSQL the store also brings the rate limiter and the commit
  // notifications every server on the database shares (Core picks them up).
  // Counting: the metrics' avg_db_queries (taskcore/counting_store.h).
  core_options.store =
      std::make_shared<taskcore::CountingStore>(taskcore::open_store(options.db_path, store));
  core_options.logger = logger;
  core_options.scheduler = scheduler;
  core_options.media.storage =
      taskcore::open_local_media_storage(options.server.media_dir.string());
  core_options.media.orphan_grace_ms = options.media_orphan_grace_s * 1000;
  core_options.auth = options.auth;
  core_options.auth.registration_enabled = !options.no_registration;
  core_options.rate_limits = options.rate_limits;
  core_options.auth.signing_key = signing_key(options);
  core_options.password_cost.max_concurrent = options.max_concurrent_hashes;
  taskcore::StatsOptions& stats = core_options.stats;
  stats.data_dir = data_dir(options);
  stats.raw_retention_days = options.stats_retention_days;
  stats.aggregate_retention_days = options.stats_aggregate_retention_days;
  if (background) {
    stats.sample_interval_ms = static_cast<std::int64_t>(options.stats_interval_s * 1000);
    stats.cleanup_interval_ms = static_cast<std::int64_t>(options.cleanup_interval_s * 1000);
  }
  return std::make_unique<taskcore::Core>(std::move(core_options));
}

// Idle connections cost a descriptor each and no thread: let the process
// have as many as the hard limit allows.
void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

void bootstrap_admin_from_env(taskcore::Core& core) {
  const char* username = std::getenv("TASKCORE_ADMIN_USERNAME");
  const char* password = std::getenv("TASKCORE_ADMIN_PASSWORD");
  if (username == nullptr || password == nullptr || *username == '\0') return;
  const char* email = std::getenv("TASKCORE_ADMIN_EMAIL");
  const bool email_given = email != nullptr && *email != '\0';
  taskcore::NewUserInput input;
  input.username = username;
  input.password = password;
  input.email = email_given ? email : input.username + "@localhost";
  input.role = taskcore::Role::kAdmin;
  if (core.users().ensure_admin(input))
    std::cerr << "taskcore-server: created admin '" << input.username << "' <"
              << input.email << ">\n";
}

int create_admin(const CliOptions& options, std::string username,
                 std::string email, std::string password) {
  if (username.empty()) username = prompt("Username", false);
  if (email.empty()) email = prompt("Email", false);
  if (password.empty()) password = prompt("Password", true);
  auto core = open_core(options, false);
  const taskcore::User user = core->users().create_user(
      {username, email, password, taskcore::Role::kAdmin});
  std::cout << "created admin '" << user.username << "' (id " << user.id << ")\n";
  return 0;
}

// `taskcore-server maintenance cleanup`: one housekeeping run, with a
// progress line while a long stats backlog is folded.
int maintenance_cleanup(const CliOptions& options) {
  auto core = open_core(options, false);
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  auto last_report = std::chrono::steady_clock::now();
  const auto progress = [&](std::int64_t done, std::int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_report < std::chrono::seconds(1)) return;
    last_report = now;
    std::cerr << (tty ? "\r" : "") << "folding stats samples: " << done << "/" << total
              << (tty && done < total ? "" : "\n") << std::flush;
  };
  const taskcore::CleanupReport report = core->maintenance().cleanup(progress);
  std::cout << "stats: " << report.stats.samples_folded << " samples folded into "
            << report.stats.buckets_written << " hourly aggregates, "
            << report.stats.aggregates_deleted << " expired aggregates deleted\n"
            << "outbox: " << report.events_pruned << " events pruned\n"
            << "sessions: " << report.sessions_deleted << " ended sessions deleted\n"
            << "reset tokens: " << report.reset_tokens_deleted << " ended tokens deleted\n";
  return 0;
}

int serve(const CliOptions& options) {
  // Blocked before any thread starts so every thread inherits the mask and
  // only the sigwait thread ever sees them: stop() is not async-signal-safe.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  raise_open_file_limit();
  auto core = open_core(options);
  bootstrap_admin_from_env(*core);

  taskcore::server::ServerConfig config = options.server;
  if (options.access_log) config.metrics.access_log = std::make_shared<taskcore::LineLogger>();
  std::optional<App> app;
  app.emplace(*core, config);
  const int port = app->bind();
  if (port < 0) {
    std::cerr << "taskcore-server: cannot bind " << options.server.host << ":"
              << options.server.port << "\n";
    return 1;
  }
  std::cout << "taskcore-server listening on http://" << options.server.host
            << ":" << port << std::endl;

  std::optional<taskcore::server::MetricsListener> metrics;
  if (!options.metrics_listen.empty()) {
    std::string metrics_host;
    int metrics_port = 0;
    if (!taskcore::server::parse_listen_address(options.metrics_listen, metrics_host,
                                                metrics_port)) {
      std::cerr << "taskcore-server: --metrics-listen wants HOST:PORT, not "
                << options.metrics_listen << "\n";
      return 1;
    }
    metrics.emplace([&app] { return app->prometheus_text(); });
    const int bound = metrics->start(metrics_host, metrics_port);
    if (bound < 0) {
      std::cerr << "taskcore-server: cannot bind " << options.metrics_listen << "\n";
      return 1;
    }
    std::cout << "taskcore-server metrics on http://" << metrics_host << ":" << bound
              << "/metrics" << std::endl;
  }

  std::atomic<bool> done{false};
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    if (done) return;
    // stop() before listen() has started running would be lost.
    while (!app->is_running() && !done)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    app->stop();
  });

  const bool ok = app->listen();
  done = true;
  // Wake the waiter if listen() ended on its own.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  metrics.reset();  // before the app it reads
  app.reset();      // every worker has finished
  core.reset();  // then the store closes the database
  std::cerr << "taskcore-server: stopped\n";
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives each of the many worker threads its own malloc arena
  // (up to 8 per core), and freed memory stays in them: after a bulk update
  // of 10000 tasks the server's RSS grew by 30 MiB. Four arenas keep
  // contention low on our thread counts and memory bounded.
  mallopt(M_ARENA_MAX, 4);
  // The server owns its process, so it may make this process-wide choice
  // the library leaves to its host.
  taskcore::sqlite_disable_memory_statistics();
  CLI::App cli{"taskcore-server: the taskcore HTTP API"};
  CliOptions options;
  taskcore::server::CliDefinition definition(cli, options);

  std::string username, email, password;
  CLI::App* admin_cmd =
      cli.add_subcommand("create-admin", "Create an admin user (prompts for missing values)");
  admin_cmd->fallthrough();
  admin_cmd->add_option("--username", username);
  admin_cmd->add_option("--email", email);
  admin_cmd->add_option("--password", password);

  CLI::App* maintenance_cmd = cli.add_subcommand("maintenance", "Housekeeping of the database");
  maintenance_cmd->fallthrough();
  maintenance_cmd->require_subcommand(1);
  CLI::App* cleanup_cmd = maintenance_cmd->add_subcommand(
      "cleanup",
      "Fold old stats samples into hourly aggregates, delete expired aggregates, prune the "
      "outbox, ended sessions and reset tokens (safe to run while the server serves)");
  cleanup_cmd->fallthrough();
  std::string backup_to, restore_from;
  CLI::App* backup_cmd = cli.add_subcommand(
      "backup", "Copy the --db database (SQLite, online) and --media-dir to an empty DIR");
  backup_cmd->fallthrough();
  backup_cmd->add_option("--to", backup_to, "Backup directory (absent or empty)")->required();
  CLI::App* restore_cmd = cli.add_subcommand(
      "restore", "Restore a backup into an empty --db and --media-dir");
  restore_cmd->fallthrough();
  restore_cmd->add_option("--from", restore_from, "Backup directory")->required();

  CLI11_PARSE(cli, argc, argv);
  definition.finish();

  try {
    if (admin_cmd->parsed()) return create_admin(options, username, email, password);
    if (cleanup_cmd->parsed()) return maintenance_cleanup(options);
    const taskcore::server::BackupTargets targets{options.db_path, options.server.media_dir};
    if (backup_cmd->parsed())
      return taskcore::server::run_backup(targets, backup_to, std::cout, std::cerr);
    if (restore_cmd->parsed())
      return taskcore::server::run_restore(targets, restore_from, std::cout, std::cerr);
    return serve(options);
  } catch (const taskcore::Error& e) {
    std::cerr << "taskcore-server: " << e.what();
    for (const auto& [field, messages] : e.field_errors())
      for (const auto& message : messages) std::cerr << "\n  " << field << ": " << message;
    std::cerr << std::endl;
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "taskcore-server: " << e.what() << std::endl;
    return 1;
  }
}

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
#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"
#include "util/private_paths.h"

namespace {

using taskcore::server::App;
using taskcore::server::ServerConfig;
namespace transport = taskcore::server::transport;

struct CliOptions {
  ServerConfig server;
  std::string db_path = "./data/taskcore.db";
  bool no_registration = false;
  bool allow_shared_files = false;
  std::string signing_key_file;
  std::size_t max_concurrent_hashes = 0;
};

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

void make_parent_dirs(const CliOptions& options) {
  const std::filesystem::path db(options.db_path);
  if (db.has_parent_path()) taskcore::server::create_private_directories(db.parent_path());
  taskcore::server::create_private_directories(options.server.media_dir);
}

// The database holds password hashes and the token signing key: anyone who
// can read it can sign an admin token.
void refuse_shared_database(const CliOptions& options) {
  if (options.allow_shared_files) return;
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

std::unique_ptr<taskcore::Core> open_core(const CliOptions& options) {
  make_parent_dirs(options);
  refuse_shared_database(options);
  // One logger and one background thread for the store and the core.
  auto logger = std::make_shared<taskcore::StderrLogger>(taskcore::LogLevel::kWarning);
  auto scheduler = std::make_shared<taskcore::ThreadScheduler>();
  taskcore::SqliteOptions sqlite;
  sqlite.path = options.db_path;
  sqlite.logger = logger;
  sqlite.scheduler = scheduler;
  taskcore::Options core_options;
  core_options.store = taskcore::open_sqlite_store(sqlite);
  core_options.logger = logger;
  core_options.scheduler = scheduler;
  core_options.auth.registration_enabled = !options.no_registration;
  core_options.auth.signing_key = signing_key(options);
  core_options.password_cost.max_concurrent = options.max_concurrent_hashes;
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
  auto core = open_core(options);
  const taskcore::User user = core->users().create_user(
      {username, email, password, taskcore::Role::kAdmin});
  std::cout << "created admin '" << user.username << "' (id " << user.id << ")\n";
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

  std::optional<App> app;
  app.emplace(*core, options.server);
  const int port = app->bind();
  if (port < 0) {
    std::cerr << "taskcore-server: cannot bind " << options.server.host << ":"
              << options.server.port << "\n";
    return 1;
  }
  std::cout << "taskcore-server listening on http://" << options.server.host
            << ":" << port << std::endl;

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
  app.reset();   // every worker has finished
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
  std::string media_dir = options.server.media_dir.string();
  cli.add_option("--host", options.server.host, "Address to listen on")
      ->capture_default_str();
  cli.add_option("--port", options.server.port, "Port (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cli.add_option("--db", options.db_path, "SQLite database file")
      ->capture_default_str();
  cli.add_option("--media-dir", media_dir, "Directory for uploaded media")
      ->capture_default_str();
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
  double keep_alive_s = 5, header_s = 10, read_s = 30, write_s = 30;
  cli.add_option("--keep-alive-timeout", keep_alive_s,
                 "Seconds an idle keep-alive connection stays open")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cli.add_option("--header-timeout", header_s,
                 "Seconds for a whole request head to arrive")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cli.add_option("--read-timeout", read_s, "Seconds for a whole request body to arrive")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cli.add_option("--write-timeout", write_s, "Seconds for a whole response to be taken")
      ->capture_default_str()->check(CLI::PositiveNumber);
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

  std::string username, email, password;
  CLI::App* admin_cmd =
      cli.add_subcommand("create-admin", "Create an admin user (prompts for missing values)");
  admin_cmd->fallthrough();
  admin_cmd->add_option("--username", username);
  admin_cmd->add_option("--email", email);
  admin_cmd->add_option("--password", password);

  CLI11_PARSE(cli, argc, argv);
  options.server.media_dir = media_dir;
  const auto millis = [](double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  };
  connections.keep_alive_timeout = millis(keep_alive_s);
  connections.header_timeout = millis(header_s);
  connections.body_timeout = millis(read_s);
  connections.write_timeout = millis(write_s);

  try {
    if (admin_cmd->parsed()) return create_admin(options, username, email, password);
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

// Start-up policy of the real taskcore-server binary: private files
// whatever the umask, refusal of a database others may read, and the
// token signing key from the environment or a private key file.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <fstream>
#include <optional>

#include "support/fixtures.h"
#include "support/media_samples.h"
#include "test_server.h"

extern char** environ;

namespace taskcore::server::testing {
namespace {

using namespace std::chrono_literals;

int mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}

// The server binary on port 0, its output on a pipe.
class ServerProcess {
 public:
  ServerProcess(std::vector<std::string> args, std::vector<std::string> env = {}) {
    int out[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    read_fd_ = out[0];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    args.insert(args.begin(), TASKCORE_SERVER_BINARY);
    args.insert(args.end(), {"--host", "127.0.0.1", "--port", "0"});
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    REQUIRE(::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
  }

  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      wait_exit(5s);
    }
    ::close(read_fd_);
  }

  // The port it listens on, or nullopt when it exited or said nothing in
  // time.
  std::optional<int> port() {
    const std::string marker = "listening on http://127.0.0.1:";
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (output_.find(marker) == std::string::npos || output_.find('\n', output_.find(marker)) == std::string::npos) {
      if (!read_some(deadline)) return std::nullopt;
    }
    return std::stoi(output_.substr(output_.find(marker) + marker.size()));
  }

  // The exit status once it has exited on its own.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        while (read_some(std::chrono::steady_clock::now() + 100ms)) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }

  const std::string& output() const { return output_; }

  // kill -9: no shutdown code runs.
  void kill_hard() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  bool read_some(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd entry{read_fd_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::read(read_fd_, chunk, sizeof chunk);
    if (n <= 0) return false;
    output_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int read_fd_ = -1;
  std::string output_;
};

struct Paths {
  taskcore::testing::TempDir dir;
  std::filesystem::path data = dir.path() / "data";
  std::filesystem::path db = data / "taskcore.db";
  std::filesystem::path media = data / "media";
  std::vector<std::string> args() const {
    return {"--db", db.string(), "--media-dir", media.string()};
  }
};

std::string login_token(int port) {
  httplib::Client client("127.0.0.1", port);
  const auto reply = client.Post("/api/auth/login/",
                                 R"({"username": "boss", "password": "a long secret"})",
                                 "application/json");
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  return Json::parse(reply->body)["access"].get<std::string>();
}

int me_status(int port, const std::string& token) {
  httplib::Client client("127.0.0.1", port);
  const auto reply = client.Get("/api/auth/me/", {{"Authorization", "Bearer " + token}});
  REQUIRE(reply);
  return reply->status;
}

const std::vector<std::string> kAdmin = {"TASKCORE_ADMIN_USERNAME=boss",
                                         "TASKCORE_ADMIN_PASSWORD=a long secret"};
const std::string kKey = "0123456789abcdef0123456789abcdef-key";

}  // namespace

TEST_CASE("the server's database, its -wal and -shm and media are private whatever the umask") {
  Paths paths;
  const mode_t saved = ::umask(0);  // the child inherits the widest umask
  ServerProcess server(paths.args());
  ::umask(saved);
  const auto port = server.port();
  REQUIRE_MESSAGE(port, server.output());
  httplib::Client client("127.0.0.1", *port);
  REQUIRE(client.Get("/api/health/"));
  CHECK(mode_of(paths.data) == 0700);
  CHECK(mode_of(paths.media) == 0700);
  CHECK(mode_of(paths.db) == 0600);
  CHECK(mode_of(paths.db.string() + "-wal") == 0600);
  CHECK(mode_of(paths.db.string() + "-shm") == 0600);
}

TEST_CASE("the server refuses a database others may read unless told otherwise") {
  Paths paths;
  std::filesystem::create_directories(paths.data);
  std::ofstream(paths.db).close();
  ::chmod(paths.db.c_str(), 0644);
  {
    ServerProcess refused(paths.args());
    CHECK(refused.wait_exit(10s) == 1);
    CHECK(refused.output().find("may be read by other users") != std::string::npos);
    CHECK(refused.output().find("--allow-shared-files") != std::string::npos);
  }
  std::vector<std::string> args = paths.args();
  args.push_back("--allow-shared-files");
  ServerProcess allowed(args);
  CHECK(allowed.port());
}

TEST_CASE("the signing key may come from TASKCORE_SIGNING_KEY or a private key file") {
  Paths paths;
  std::string stored_key_token, env_key_token;
  {
    ServerProcess server(paths.args(), kAdmin);
    const auto port = server.port();
    REQUIRE_MESSAGE(port, server.output());
    stored_key_token = login_token(*port);
  }
  {
    ServerProcess server(paths.args(), {"TASKCORE_SIGNING_KEY=" + kKey});
    const auto port = server.port();
    REQUIRE_MESSAGE(port, server.output());
    CHECK(me_status(*port, stored_key_token) == 401);  // signed with another key
    env_key_token = login_token(*port);
    CHECK(me_status(*port, env_key_token) == 200);
  }
  const auto key_file = paths.dir.path() / "signing.key";
  std::ofstream(key_file) << kKey << "\n";
  std::vector<std::string> args = paths.args();
  args.insert(args.end(), {"--signing-key-file", key_file.string()});
  {
    ::chmod(key_file.c_str(), 0644);
    ServerProcess refused(args);
    CHECK(refused.wait_exit(10s) == 1);
    CHECK(refused.output().find("may be read by other users") != std::string::npos);
  }
  ::chmod(key_file.c_str(), 0600);
  {
    ServerProcess server(args);
    const auto port = server.port();
    REQUIRE_MESSAGE(port, server.output());
    CHECK(me_status(*port, env_key_token) == 200);  // the same key, from the file
  }
  ServerProcess short_key(paths.args(), {"TASKCORE_SIGNING_KEY=short"});
  CHECK(short_key.wait_exit(10s) == 1);
  CHECK(short_key.output().find("at least 32 characters") != std::string::npos);
}

TEST_CASE("a TOML config file sets options; the command line wins; bad values stop the start") {
  Paths paths;
  const auto config = paths.dir.path() / "server.toml";
  std::ofstream(config) << "access-lifetime = 120\n"
                           "no-registration = true\n"
                           "rate-failed-logins-per-username = \"2/m\"\n";
  std::vector<std::string> args = paths.args();
  args.insert(args.end(), {"--config", config.string(), "--access-lifetime", "300"});
  {
    ServerProcess server(args, kAdmin);
    const auto port = server.port();
    REQUIRE_MESSAGE(port, server.output());
    httplib::Client client("127.0.0.1", *port);
    const auto login = client.Post("/api/auth/login/",
                                   R"({"username": "boss", "password": "a long secret"})",
                                   "application/json");
    REQUIRE(login);
    CHECK(Json::parse(login->body)["expires_in"] == 300);  // the flag beat the file
    const auto registered = client.Post(
        "/api/auth/register/",
        R"({"username": "newbie", "email": "n@example.com", "password": "password123"})",
        "application/json");
    REQUIRE(registered);
    CHECK(registered->status == 403);
    for (int i = 0; i < 2; ++i)
      CHECK(client.Post("/api/auth/login/", R"({"username": "boss", "password": "nope"})",
                        "application/json")->status == 401);
    CHECK(client.Post("/api/auth/login/", R"({"username": "boss", "password": "nope"})",
                      "application/json")->status == 429);
  }
  std::ofstream(config) << "rate-anonymous = \"lots\"\n";
  ServerProcess refused(args);
  CHECK(refused.wait_exit(10s) != 0);
  CHECK(refused.output().find("rate-anonymous") != std::string::npos);
}

}  // namespace taskcore::server::testing

namespace taskcore::server::testing {

namespace {

std::size_t count_files(const std::filesystem::path& dir, std::string_view prefix = "") {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().starts_with(prefix)) ++n;
  return n;
}

std::string register_and_login(int port) {
  httplib::Client client("127.0.0.1", port);
  REQUIRE(client.Post("/api/auth/register/",
                      R"({"username": "writer", "email": "w@example.com", "password": "a long secret"})",
                      "application/json"));
  const auto reply = client.Post("/api/auth/login/",
                                 R"({"username": "writer", "password": "a long secret"})",
                                 "application/json");
  REQUIRE(reply);
  REQUIRE(reply->status == 200);
  return Json::parse(reply->body)["access"].get<std::string>();
}

}  // namespace

TEST_CASE("a server killed mid-upload starts clean: no temporary, no orphan, the rest intact") {
  Paths paths;
  std::vector<std::string> args = paths.args();
  args.insert(args.end(), {"--media-orphan-grace", "0"});
  std::string token;
  Json stored;
  {
    ServerProcess server(args);
    const auto port = server.port();
    REQUIRE_MESSAGE(port, server.output());
    token = register_and_login(*port);

    // One finished upload, which must survive.
    taskcore::testing::write_image(paths.dir.file("kept.png"), taskcore::MediaType::kPng, {64, 48});
    const std::string boundary = "crash-test-boundary";
    const std::string head_of_part = "--" + boundary +
                                     "\r\nContent-Disposition: form-data; name=\"file\"; "
                                     "filename=\"kept.png\"\r\n\r\n";
    const std::string body = head_of_part +
                             taskcore::testing::read_bytes(paths.dir.file("kept.png")) +
                             "\r\n--" + boundary + "--\r\n";
    httplib::Client client("127.0.0.1", *port);
    const auto reply = client.Post("/api/blog/media/upload/",
                                   {{"Authorization", "Bearer " + token}}, body,
                                   "multipart/form-data; boundary=" + boundary);
    REQUIRE(reply);
    REQUIRE(reply->status == 201);
    stored = Json::parse(reply->body)["results"][0];

    // A second upload, cut off half way: its first MiB is spooled.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(*port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    const std::string partial_head =
        "POST /api/blog/media/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
        token + "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
        "\r\nContent-Length: 5000000\r\n\r\n" + head_of_part + "%PDF-1.4\n" +
        std::string(1 << 20, ' ');
    REQUIRE(::send(fd, partial_head.data(), partial_head.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(partial_head.size()));
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (count_files(paths.media, ".tmp-upload-") == 0 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
    REQUIRE(count_files(paths.media, ".tmp-upload-") == 1);
    // What a crash between storing bytes and committing their row leaves.
    taskcore::testing::write_bytes((paths.media / "0123456789abcdef0123456789abcdef.png").string(),
                                   "orphan");
    server.kill_hard();
    ::close(fd);
  }
  CHECK(count_files(paths.media) == 4);

  ServerProcess restarted(args);
  const auto port = restarted.port();
  REQUIRE_MESSAGE(port, restarted.output());
  CHECK(count_files(paths.media) == 2);
  CHECK(std::filesystem::exists(paths.media / stored["filename"].get<std::string>()));
  httplib::Client client("127.0.0.1", *port);
  const auto list = client.Get("/api/blog/media/", {{"Authorization", "Bearer " + token}});
  REQUIRE(list);
  CHECK(Json::parse(list->body)["count"] == 1);
  const std::string url = stored["url"];
  const auto file = client.Get(url.substr(url.find("/api/")));
  REQUIRE(file);
  CHECK(file->status == 200);
  CHECK(file->body == taskcore::testing::read_bytes(paths.dir.file("kept.png")));
}

}  // namespace taskcore::server::testing

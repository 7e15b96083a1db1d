#include "test_server.h"

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>

#include "taskcore/counting_store.h"
#include "taskcore/sqlite_store.h"

namespace taskcore::server::testing {

std::string Reply::error_code() const {
  try {
    const Json parsed = json();
    if (parsed.is_object() && parsed.contains("error") &&
        parsed["error"].contains("code"))
      return parsed["error"]["code"].get<std::string>();
  } catch (const std::exception&) {
  }
  return {};
}

TestServer::TestServer(TestServerOptions options)
    : media_dir_(dir_.path() / "media"),
      clock_(options.clock ? options.clock
                           : std::make_shared<taskcore::testing::ManualClock>()) {
  if (options.create_media_dir) std::filesystem::create_directories(media_dir_);
  // Counting as taskcore-server's store does, for the metrics' figures.
  store_ = std::make_shared<FaultyStore>(std::make_shared<CountingStore>(
      options.store ? options.store : stores_.open("server.db")));

  Options core_options;
  core_options.store = store_;
  core_options.clock = clock_;
  core_options.random = std::make_shared<taskcore::testing::CountingRandom>();
  core_options.password_cost = PasswordCost::fast();
  core_options.auth.registration_enabled = options.registration_enabled;
  if (options.create_media_dir) {
    core_options.media.storage = open_local_media_storage(media_dir_.string());
    core_options.media.scratch_directory = dir_.path().string();
    core_options.media.sweep_interval_ms = 0;
  }
  if (options.configure_core) options.configure_core(core_options);
  core_ = std::make_unique<Core>(std::move(core_options));

  ServerConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.connections.min_threads = options.threads;
  config.media_dir = media_dir_;
  config.allowed_hosts = options.allowed_hosts;
  if (options.configure) options.configure(config);
  app_ = std::make_unique<App>(*core_, config);
  if (app_->bind() <= 0) throw std::runtime_error("test server: bind failed");
  thread_ = std::thread([this] { app_->listen(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!app_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("test server: did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TestServer::~TestServer() {
  app_->stop();
  if (thread_.joinable()) thread_.join();
  app_.reset();
  core_.reset();
}

Account TestServer::make_user(const std::string& username, Role role) {
  const User user = core_->users().create_user(
      {username, username + "@example.com", "password123", role});
  return Account{user.id, username, login(username, "password123")};
}

std::string TestServer::login(const std::string& username,
                              const std::string& password) {
  const Reply reply = post("/api/auth/login/",
                           {{"username", username}, {"password", password}});
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  return reply.json()["access"].get<std::string>();
}

Reply TestServer::request(const std::string& method, const std::string& path,
                          const std::string& token, const Json& body,
                          httplib::Headers headers) {
  return raw(method, path, body.is_null() ? std::string() : body.dump(), token,
             std::move(headers), body.is_null() ? std::string() : "application/json");
}

Reply TestServer::raw(const std::string& method, const std::string& path,
                      const std::string& body, const std::string& token,
                      httplib::Headers headers, const std::string& content_type) {
  httplib::Client client("127.0.0.1", port());
  client.set_read_timeout(10);
  client.set_decompress(false);
  // Paths are sent exactly as the tests write them (httplib would turn
  // '+' into %2B).
  client.set_url_encode(false);
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
  if (!req.headers.count("Accept-Encoding")) req.headers.emplace("Accept-Encoding", "identity");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = body;
    if (!content_type.empty()) req.headers.emplace("Content-Type", content_type);
  }
  const httplib::Result result = client.send(req);
  REQUIRE_MESSAGE(result, "no response to " << method << " " << path << ": "
                                            << httplib::to_string(result.error()));
  return Reply{result->status, result->headers, result->body};
}

std::int64_t TestServer::create_task(const std::string& token, const Json& body) {
  const Reply reply = post("/api/tasks/", body, token);
  REQUIRE_MESSAGE(reply.status == 201, reply.body);
  return reply.json()["id"].get<std::int64_t>();
}

}  // namespace taskcore::server::testing

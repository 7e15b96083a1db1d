#pragma once

// An in-process taskcore-server on 127.0.0.1 and a free port, over a fresh
// test store (a SQLite file, or PostgreSQL: support/fixtures.h TestStores), with a manual clock and fast password hashing, plus a small
// HTTP client for end-to-end tests.

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <functional>
#include <vector>

#include "app.h"
#include "faulty_store.h"
#include "support/fixtures.h"
#include "taskcore/taskcore.h"

namespace taskcore::server::testing {

using Json = nlohmann::json;

struct TestServerOptions {
  bool registration_enabled = true;
  bool create_media_dir = true;
  std::size_t threads = 4;
  // Tests name arbitrary hosts ("Host: x", tasks.example.com); the host
  // policy has tests of its own (hosts_test.cc), with its real defaults.
  std::vector<std::string> allowed_hosts = {"*"};
  // Applied last, for tests of the connection layer and host policy.
  std::function<void(ServerConfig&)> configure;
  std::function<void(Options&)> configure_core;
  // Set: serve this store (e.g. a second server on another's PostgreSQL
  // database) and this clock instead of fresh ones.
  std::shared_ptr<Store> store;
  std::shared_ptr<taskcore::testing::ManualClock> clock;
};

struct Reply {
  int status = 0;
  httplib::Headers headers;
  std::string body;

  Json json() const { return Json::parse(body); }
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  // The error code of a contract error body ("" when not one).
  std::string error_code() const;
};

struct Account {
  std::int64_t id = 0;
  std::string username;
  std::string token;
};

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return app_->port(); }
  App& app() { return *app_; }
  std::string host_port() const { return "127.0.0.1:" + std::to_string(port()); }
  Core& core() { return *core_; }
  taskcore::testing::ManualClock& clock() { return *clock_; }
  FaultyStore& store() { return *store_; }
  const std::filesystem::path& media_dir() const { return media_dir_; }

  // A user made through the core (password "password123"), logged in over
  // HTTP.
  Account make_user(const std::string& username, Role role);
  std::string login(const std::string& username, const std::string& password);

  // One request; `token` adds the Bearer header, a non-null `body` is sent
  // as JSON.
  Reply request(const std::string& method, const std::string& path,
                const std::string& token = "", const Json& body = nullptr,
                httplib::Headers headers = {});
  // A raw body with any content type.
  Reply raw(const std::string& method, const std::string& path,
            const std::string& body, const std::string& token = "",
            httplib::Headers headers = {},
            const std::string& content_type = "application/json");

  Reply get(const std::string& path, const std::string& token = "") {
    return request("GET", path, token);
  }
  Reply post(const std::string& path, const Json& body, const std::string& token = "") {
    return request("POST", path, token, body);
  }

  // Creates a task over HTTP and returns its id (fails the test otherwise).
  std::int64_t create_task(const std::string& token, const Json& body);

 private:
  taskcore::testing::TempDir dir_;
  taskcore::testing::TestStores stores_;
  std::filesystem::path media_dir_;
  std::shared_ptr<taskcore::testing::ManualClock> clock_;
  std::shared_ptr<FaultyStore> store_;
  std::unique_ptr<Core> core_;
  std::unique_ptr<App> app_;
  std::thread thread_;
};

}  // namespace taskcore::server::testing

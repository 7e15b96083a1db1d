// Many clients at once, over keep-alive connections.

#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "test_server.h"

namespace taskcore::server::testing {

TEST_CASE("parallel keep-alive clients each get their own answers") {
  TestServerOptions options;
  options.threads = 8;
  TestServer server(options);
  const Account member = server.make_user("mia", Role::kMember);

  constexpr int kClients = 6;
  constexpr int kRounds = 15;
  std::atomic<int> failures{0};
  std::vector<std::set<std::string>> ids(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_keep_alive(true);
      const httplib::Headers auth{{"Authorization", "Bearer " + member.token}};
      for (int i = 0; i < kRounds; ++i) {
        const std::string title = "c" + std::to_string(c) + "-" + std::to_string(i);
        auto created = client.Post("/api/tasks/", auth, Json{{"title", title}}.dump(),
                                   "application/json");
        if (!created || created->status != 201 ||
            Json::parse(created->body)["title"] != title) {
          ++failures;
          continue;
        }
        ids[c].insert(created->get_header_value("X-Request-ID"));
        // An error on the same connection must not disturb the next request.
        auto missing = client.Get("/api/nope/", auth);
        if (!missing || missing->status != 404) ++failures;
        const auto id = Json::parse(created->body)["id"].get<std::int64_t>();
        auto fetched = client.Get("/api/tasks/" + std::to_string(id) + "/", auth);
        if (!fetched || fetched->status != 200 ||
            Json::parse(fetched->body)["title"] != title)
          ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  std::set<std::string> all;
  for (const auto& s : ids) all.insert(s.begin(), s.end());
  CHECK(all.size() == kClients * kRounds);
  CHECK(server.get("/api/tasks/", member.token).json()["count"] == kClients * kRounds);
}

}  // namespace taskcore::server::testing

// /api/system/stats/: the list, latest and aggregated routes end to end.

#include <doctest/doctest.h>

#include "test_server.h"

namespace taskcore::server::testing {
namespace {

// Records what a test sets, stamped by the server's manual clock.
class FixedProbe final : public SystemProbe {
 public:
  ProbeReading read() override {
    SystemSample s;
    s.hostname = "web-1";
    s.cpu_percent = cpu;
    s.memory_percent = 50.0;
    s.memory_used_bytes = 512;
    s.memory_total_bytes = 1024;
    s.load_avg_1 = 0.25;
    return {s, {}};
  }
  double cpu = 10;
};

struct StatsServer {
  std::shared_ptr<FixedProbe> probe = std::make_shared<FixedProbe>();
  TestServer server;
  StatsServer()
      : server([this] {
          TestServerOptions options;
          options.configure_core = [this](Options& core) { core.stats.probe = probe; };
          return options;
        }()) {}
  void record(Timestamp at, double cpu) {
    server.clock().set(at);
    probe->cpu = cpu;
    server.core().stats().record_sample();
  }
};

constexpr Timestamp kDayStart = 1735689600000;  // 2025-01-01T00:00:00Z

}  // namespace

TEST_CASE("stats routes: admin only, 401 anonymously, 404 before the first sample") {
  StatsServer s;
  const Account admin = s.server.make_user("root", Role::kAdmin);
  const Account manager = s.server.make_user("boss", Role::kManager);
  for (const char* path : {"/api/system/stats/", "/api/system/stats/latest/",
                           "/api/system/stats/aggregated/", "/api/system/stats"}) {
    CAPTURE(path);
    CHECK(s.server.get(path).status == 401);
    const Reply denied = s.server.get(path, manager.token);
    CHECK(denied.status == 403);
    CHECK(denied.json()["error"]["code"] == "permission_denied");
  }
  const Reply none = s.server.get("/api/system/stats/latest/", admin.token);
  CHECK(none.status == 404);
  CHECK(none.json()["error"]["code"] == "not_found");
  const Reply empty = s.server.get("/api/system/stats/", admin.token);
  CHECK(empty.status == 200);
  CHECK(empty.json()["count"] == 0);
  CHECK(empty.json()["results"] == Json::array());
  CHECK(empty.json()["filters_applied"] == Json::object());
  CHECK(s.server.request("POST", "/api/system/stats/", admin.token, Json::object()).status == 405);
}

TEST_CASE("stats list and latest: fields, newest first, date range, pagination") {
  StatsServer s;
  // Samples first: moving the clock afterwards would expire the token.
  for (int i = 0; i < 25; ++i) s.record(kDayStart + i * 60000, i);
  const Account admin = s.server.make_user("root", Role::kAdmin);
  const Reply latest = s.server.get("/api/system/stats/latest/", admin.token);
  REQUIRE(latest.status == 200);
  CHECK(latest.json()["timestamp"] == "2025-01-01T00:24:00.000Z");
  CHECK(latest.json()["hostname"] == "web-1");
  CHECK(latest.json()["cpu_percent"] == 24.0);
  CHECK(latest.json()["memory_used_bytes"] == 512);
  CHECK(latest.json()["memory_total_bytes"] == 1024);
  CHECK(latest.json()["memory_percent"] == 50.0);
  CHECK(latest.json()["load_avg_1"] == 0.25);
  CHECK(latest.json()["disk_percent"].is_null());
  CHECK(latest.json()["disk_used_bytes"].is_null());
  CHECK(latest.json()["disk_total_bytes"].is_null());
  CHECK(latest.json()["id"].is_number_integer());

  const Reply page2 = s.server.get("/api/system/stats/?page=2", admin.token);
  REQUIRE(page2.status == 200);
  CHECK(page2.json()["count"] == 25);
  REQUIRE(page2.json()["results"].size() == 5);
  CHECK(page2.json()["results"][0]["timestamp"] == "2025-01-01T00:04:00.000Z");
  CHECK(page2.json()["next"].is_null());
  CHECK(page2.json()["previous"] == "http://" + s.server.host_port() + "/api/system/stats/");
  CHECK(s.server.get("/api/system/stats/?page=3", admin.token).status == 404);

  const Reply ranged = s.server.get(
      "/api/system/stats/?start=2025-01-01T00:10:00Z&end=2025-01-01T00:12:00.000Z", admin.token);
  REQUIRE(ranged.status == 200);
  CHECK(ranged.json()["count"] == 3);
  CHECK(ranged.json()["filters_applied"]["date_range"] ==
        Json{{"start", "2025-01-01T00:10:00.000Z"}, {"end", "2025-01-01T00:12:00.000Z"}});
  const Reply open_end = s.server.get("/api/system/stats/?start=2025-01-01", admin.token);
  CHECK(open_end.json()["filters_applied"]["date_range"]["end"].is_null());
  CHECK(open_end.json()["count"] == 25);

  const Reply bad = s.server.get("/api/system/stats/?start=soon&page_size=0", admin.token);
  CHECK(bad.status == 400);
  CHECK(bad.json()["error"]["code"] == "validation_error");
  CHECK(bad.json()["error"]["field_errors"].contains("start"));
}

TEST_CASE("stats aggregated: hour and day buckets, defaults, bad interval") {
  StatsServer s;
  s.record(kDayStart + 5 * 60000, 10);
  s.record(kDayStart + 35 * 60000, 30);
  s.record(kDayStart + 3600000 + 60000, 50);
  const Account admin = s.server.make_user("root", Role::kAdmin);
  const Reply hours = s.server.get(
      "/api/system/stats/aggregated/?interval=hour&start=2025-01-01&end=2025-01-01", admin.token);
  REQUIRE(hours.status == 200);
  CHECK(hours.json()["interval"] == "hour");
  CHECK(hours.json()["start"] == "2025-01-01T00:00:00.000Z");
  CHECK(hours.json()["end"] == "2025-01-01T23:59:59.999Z");
  REQUIRE(hours.json()["buckets"].size() == 2);
  const Json first = hours.json()["buckets"][0];
  CHECK(first["bucket_start"] == "2025-01-01T00:00:00.000Z");
  CHECK(first["samples"] == 2);
  CHECK(first["cpu_percent_avg"] == 20.0);
  CHECK(first["cpu_percent_min"] == 10.0);
  CHECK(first["cpu_percent_max"] == 30.0);
  CHECK(first["memory_used_bytes_min"] == 512);
  CHECK(first["disk_percent_avg"].is_null());
  for (const char* field : {"cpu_percent", "memory_percent", "memory_used_bytes",
                            "memory_total_bytes", "disk_percent", "disk_used_bytes",
                            "disk_total_bytes", "load_avg_1"})
    for (const char* suffix : {"_avg", "_min", "_max"})
      CHECK(first.contains(std::string(field) + suffix));

  const Reply days = s.server.get("/api/system/stats/aggregated/?interval=day&start=2025-01-01",
                                  admin.token);
  REQUIRE(days.status == 200);
  REQUIRE(days.json()["buckets"].size() == 1);
  CHECK(days.json()["buckets"][0]["samples"] == 3);
  CHECK(days.json()["buckets"][0]["cpu_percent_avg"] == 30.0);

  // Without a range: the last day, ending now (the manual clock).
  const Reply recent = s.server.get("/api/system/stats/aggregated/", admin.token);
  REQUIRE(recent.status == 200);
  CHECK(recent.json()["interval"] == "hour");
  CHECK(recent.json()["buckets"].size() == 2);

  const Reply bad = s.server.get("/api/system/stats/aggregated/?interval=minute", admin.token);
  CHECK(bad.status == 400);
  CHECK(bad.json()["error"]["field_errors"]["interval"][0] ==
        "Select a valid choice. minute is not one of the available choices.");
}

}  // namespace taskcore::server::testing

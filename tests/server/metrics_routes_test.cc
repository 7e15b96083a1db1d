// GET /api/admin/metrics/, the Prometheus text and its listener, and the
// JSON access log.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <sstream>

#include "metrics/metrics_listener.h"
#include "metrics/prometheus.h"
#include "test_server.h"

namespace taskcore::server::testing {
namespace {

const Json* find_route(const Json& metrics, const std::string& method,
                       const std::string& route) {
  for (const auto& entry : metrics["routes"])
    if (entry["method"] == method && entry["route"] == route) return &entry;
  return nullptr;
}

// Keeps every line, as the access log's LineLogger would print them.
struct CapturingLogger final : Logger {
  void log(LogLevel level, std::string_view message) noexcept override {
    std::lock_guard lock(mutex);
    lines.emplace_back(level, std::string(message));
  }
  std::vector<std::pair<LogLevel, std::string>> taken() {
    std::lock_guard lock(mutex);
    return lines;
  }
  std::mutex mutex;
  std::vector<std::pair<LogLevel, std::string>> lines;
};

struct Sample {
  std::map<std::string, std::string> labels;
  double value = 0;
};

// A small parser of the text format: families (HELP and TYPE) and samples.
struct Exposition {
  std::map<std::string, std::string> help, type;
  std::multimap<std::string, Sample> samples;

  explicit Exposition(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      REQUIRE_FALSE(line.empty());
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
        const std::string rest = line.substr(7);
        const auto space = rest.find(' ');
        REQUIRE(space != std::string::npos);
        (line[2] == 'H' ? help : type)[rest.substr(0, space)] = rest.substr(space + 1);
        continue;
      }
      Sample sample;
      std::string name;
      std::size_t at = line.find_first_of("{ ");
      REQUIRE(at != std::string::npos);
      name = line.substr(0, at);
      if (line[at] == '{') {
        ++at;
        while (line[at] != '}') {
          const auto eq = line.find('=', at);
          REQUIRE(line[eq + 1] == '"');
          std::string value;
          std::size_t i = eq + 2;
          for (; line[i] != '"'; ++i) {
            if (line[i] == '\\') ++i;
            value += line[i];
          }
          sample.labels[line.substr(at, eq - at)] = value;
          at = i + 1;
          if (line[at] == ',') ++at;
        }
        ++at;
      }
      REQUIRE(line[at] == ' ');
      sample.value = std::stod(line.substr(at + 1));
      samples.emplace(name, sample);
    }
  }

  std::vector<Sample> find(const std::string& name,
                           const std::map<std::string, std::string>& labels = {}) const {
    std::vector<Sample> out;
    const auto [first, last] = samples.equal_range(name);
    for (auto it = first; it != last; ++it) {
      bool ok = true;
      for (const auto& [key, value] : labels) {
        const auto found = it->second.labels.find(key);
        ok = ok && found != it->second.labels.end() && found->second == value;
      }
      if (ok) out.push_back(it->second);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("metrics: admin only") {
  TestServer server;
  const Account member = server.make_user("member", Role::kMember);
  CHECK(server.get("/api/admin/metrics/").status == 401);
  const Reply denied = server.get("/api/admin/metrics/", member.token);
  CHECK(denied.status == 403);
  CHECK(denied.error_code() == "permission_denied");
}

TEST_CASE("metrics: counts by status and route template, percentiles, db and realtime") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  const std::int64_t id = server.create_task(admin.token, {{"title", "one"}});
  for (int i = 0; i < 3; ++i)
    CHECK(server.get("/api/tasks/" + std::to_string(id) + "/", admin.token).status == 200);
  CHECK(server.get("/api/tasks/999999/", admin.token).status == 404);
  CHECK(server.get("/api/no/such/route/", admin.token).status == 404);
  CHECK(server.get("/api/no/other/", admin.token).status == 404);
  CHECK(server.request("DELETE", "/api/health/").status == 405);
  server.store().fail_task_reads = true;
  CHECK(server.get("/api/tasks/" + std::to_string(id) + "/", admin.token).status == 500);
  server.store().fail_task_reads = false;

  const Reply reply = server.get("/api/admin/metrics/", admin.token);
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  const Json metrics = reply.json();
  CHECK(metrics["uptime_s"].is_number_integer());
  CHECK(metrics["started_at"].get<std::string>().size() == 24);
  CHECK(metrics["started_at"].get<std::string>().back() == 'Z');

  // login, create, 3 + 1 + 1 detail, 2 unmatched, 1 405; not this request.
  const Json& requests = metrics["requests"];
  CHECK(requests["total"] == 10);
  CHECK(requests["by_status"]["200"] == 4);  // login + 3 details
  CHECK(requests["by_status"]["201"] == 1);
  CHECK(requests["by_status"]["404"] == 3);
  CHECK(requests["by_status"]["405"] == 1);
  CHECK(requests["by_status"]["500"] == 1);
  CHECK(requests["in_flight"] == 1);  // the metrics request itself

  const Json* detail = find_route(metrics, "GET", "/api/tasks/{id}");
  REQUIRE(detail != nullptr);
  CHECK((*detail)["count"] == 5);
  CHECK((*detail)["errors"] == 1);  // the 500; 4xx are not server errors
  const double p50 = (*detail)["p50_ms"], p95 = (*detail)["p95_ms"], p99 = (*detail)["p99_ms"];
  CHECK(p50 > 0);
  CHECK(p50 <= p95);
  CHECK(p95 <= p99);
  CHECK(p99 < 5000);
  // Auth reads the user and session, the route reads the task.
  CHECK((*detail)["avg_db_queries"].get<double>() >= 1.0);
  CHECK(find_route(metrics, "GET", "/api/tasks/" + std::to_string(id)) == nullptr);

  const Json* unmatched = find_route(metrics, "*", "unmatched");
  REQUIRE(unmatched != nullptr);
  CHECK((*unmatched)["count"] == 2);
  const Json* other = find_route(metrics, "*", "/api/health");
  REQUIRE(other != nullptr);
  CHECK((*other)["count"] == 1);
  const Json* create = find_route(metrics, "POST", "/api/tasks");
  REQUIRE(create != nullptr);
  CHECK((*create)["count"] == 1);
  CHECK((*create)["avg_db_queries"].get<double>() >= 1.0);

  // Sorted by (route, method).
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& route : metrics["routes"]) order.emplace_back(route["route"], route["method"]);
  CHECK(std::is_sorted(order.begin(), order.end()));

  const Json& db = metrics["database"];
  CHECK(db["statements"].get<std::int64_t>() > 0);
  CHECK(db["slow_queries"].is_number_integer());
  CHECK(db["slow_query_threshold_ms"] == 100.0);
  if (db["backend"] == "postgresql") {
    CHECK(db["size_bytes"].get<std::int64_t>() > 0);
    CHECK(db["wal_size_bytes"].is_null());
    CHECK(db["pool"]["size"].get<int>() > 0);
    CHECK(db["pool"]["in_use"].is_number_integer());
  } else {
    CHECK(db["backend"] == "sqlite");
    CHECK(db["size_bytes"].get<std::int64_t>() > 0);
    CHECK(db["wal_size_bytes"].is_number_integer());
    CHECK(db["pool"].is_null());
  }
  const Json& realtime = metrics["realtime"];
  for (const char* key :
       {"connected_clients", "held_polls", "rooms", "events_delivered", "dropped_subscribers"})
    CHECK(realtime[key].is_number_integer());
  CHECK(realtime["held_polls"] == 0);
}

TEST_CASE("metrics: switched off, nothing is recorded") {
  TestServer server({.configure = [](ServerConfig& config) { config.metrics.enabled = false; }});
  const Account admin = server.make_user("root", Role::kAdmin);
  server.get("/api/tasks/", admin.token);
  const Json metrics = server.get("/api/admin/metrics/", admin.token).json();
  CHECK(metrics["requests"]["total"] == 0);
  CHECK(metrics["routes"].empty());
}

TEST_CASE("metrics: Prometheus text on a separate listener") {
  TestServer server;
  const Account admin = server.make_user("root", Role::kAdmin);
  server.create_task(admin.token, {{"title", "one"}});
  for (int i = 0; i < 4; ++i) server.get("/api/tasks/?page_size=5", admin.token);
  server.get("/api/nothing/");

  MetricsListener listener([&server] { return server.app().prometheus_text(); });
  const int port = listener.start("127.0.0.1", 0);
  REQUIRE(port > 0);
  httplib::Client client("127.0.0.1", port);
  const auto result = client.Get("/metrics");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->get_header_value("Content-Type") == "text/plain; version=0.0.4");
  CHECK(client.Get("/api/tasks/")->status == 404);  // only /metrics there

  const Exposition text(result->body);
  for (const auto& [name, kind] : std::map<std::string, std::string>{
           {"taskcore_uptime_seconds", "gauge"},
           {"taskcore_http_requests_total", "counter"},
           {"taskcore_http_request_duration_seconds", "histogram"},
           {"taskcore_db_statements_total", "counter"},
           {"taskcore_realtime_connected_clients", "gauge"}}) {
    CAPTURE(name);
    CHECK(text.type.at(name) == kind);
    CHECK_FALSE(text.help.at(name).empty());
  }
  const auto list = text.find("taskcore_http_requests_total",
                              {{"method", "GET"}, {"route", "/api/tasks"}, {"status", "200"}});
  REQUIRE(list.size() == 1);
  CHECK(list[0].value == 4);
  CHECK(text.find("taskcore_http_requests_total", {{"route", "unmatched"}, {"status", "404"}})
            .at(0)
            .value == 1);

  // Buckets cumulative, ascending le, +Inf = _count.
  const auto buckets = text.find("taskcore_http_request_duration_seconds_bucket",
                                 {{"method", "GET"}, {"route", "/api/tasks"}});
  REQUIRE(buckets.size() == LatencyHistogram::kBounds + 1);
  double previous_le = 0, previous = 0;
  for (const Sample& bucket : buckets) {
    const std::string le = bucket.labels.at("le");
    if (le != "+Inf") {
      CHECK(std::stod(le) > previous_le);
      previous_le = std::stod(le);
    }
    CHECK(bucket.value >= previous);
    previous = bucket.value;
  }
  CHECK(buckets.back().labels.at("le") == "+Inf");
  CHECK(buckets.back().value == 4);
  const auto count = text.find("taskcore_http_request_duration_seconds_count",
                               {{"method", "GET"}, {"route", "/api/tasks"}});
  REQUIRE(count.size() == 1);
  CHECK(count[0].value == 4);
  CHECK(text.find("taskcore_http_request_duration_seconds_sum",
                  {{"method", "GET"}, {"route", "/api/tasks"}})
            .at(0)
            .value > 0);
  CHECK(text.find("taskcore_db_statements_total").at(0).value > 0);
  listener.stop();
}

TEST_CASE("metrics: label values are escaped") {
  CHECK(prometheus_escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  std::string host;
  int port = 0;
  CHECK(parse_listen_address("127.0.0.1:9100", host, port));
  CHECK(host == "127.0.0.1");
  CHECK(port == 9100);
  CHECK(parse_listen_address("[::1]:0", host, port));
  CHECK(host == "::1");
  CHECK_FALSE(parse_listen_address("localhost", host, port));
  CHECK_FALSE(parse_listen_address("h:99999", host, port));
}

TEST_CASE("access log: one JSON line per request, no query string or token") {
  auto logger = std::make_shared<CapturingLogger>();
  TestServer server({.configure = [&](ServerConfig& config) { config.metrics.access_log = logger; }});
  const Account admin = server.make_user("root", Role::kAdmin);
  const std::int64_t id = server.create_task(admin.token, {{"title", "secret title"}});
  server.get("/api/tasks/" + std::to_string(id) + "/?search=private&token=abc", admin.token);
  server.store().fail_task_reads = true;
  const Reply failed = server.get("/api/tasks/" + std::to_string(id) + "/", admin.token);
  server.store().fail_task_reads = false;
  server.get("/api/tasks/");  // anonymous: 401

  const auto lines = logger->taken();
  REQUIRE(lines.size() == 5);  // login, create, detail, failed detail, the 401
  std::vector<Json> parsed;
  for (const auto& [level, line] : lines) {
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find(admin.token) == std::string::npos);
    CHECK(line.find("private") == std::string::npos);
    CHECK(line.find("secret title") == std::string::npos);
    CHECK(line.find("password") == std::string::npos);
    parsed.push_back(Json::parse(line));
    for (const char* key : {"time", "level", "request_id", "method", "route", "path", "status",
                            "duration_ms", "user_id", "ip"}) {
      CAPTURE(key);
      CHECK(parsed.back().contains(key));
    }
  }
  const Json& detail = parsed[2];
  CHECK(detail["method"] == "GET");
  CHECK(detail["route"] == "/api/tasks/{id}");
  CHECK(detail["path"] == "/api/tasks/" + std::to_string(id) + "/");
  CHECK(detail["status"] == 200);
  CHECK(detail["level"] == "info");
  CHECK(detail["user_id"] == admin.id);
  CHECK(detail["ip"] == "127.0.0.1");
  CHECK(detail["duration_ms"].get<double>() >= 0);
  CHECK(detail["request_id"].get<std::string>().size() > 0);

  const Json& error = parsed[3];
  CHECK(error["status"] == 500);
  CHECK(error["level"] == "error");
  CHECK(lines[3].first == LogLevel::kError);
  CHECK(error["request_id"] == failed.header("X-Request-ID"));
  CHECK(lines[3].second.find(FaultyStore::kSecret) == std::string::npos);

  CHECK(parsed[4]["status"] == 401);
  CHECK(parsed[4]["user_id"].is_null());
  CHECK(parsed[4]["route"] == "/api/tasks");
}
}  // namespace taskcore::server::testing

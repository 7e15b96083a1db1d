#include "metrics/metrics_json.h"

#include <cmath>
#include <map>

namespace taskcore::server {
namespace {

// Milliseconds with microsecond resolution: more digits than the buckets
// can justify would only look precise.
double rounded(double ms) { return std::round(ms * 1000.0) / 1000.0; }

template <class T>
Json or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace

Json metrics_json(const MetricsSnapshot& snapshot) {
  std::uint64_t total = 0;
  Json by_status = Json::object();
  std::map<int, std::uint64_t> statuses;
  Json routes = Json::array();
  for (const RouteSnapshot& route : snapshot.routes) {
    for (const auto& [status, n] : route.statuses) statuses[status] += n;
    total += route.count;
    const double transactions = static_cast<double>(route.db_transactions);
    routes.push_back({{"method", route.method},
                      {"route", route.route},
                      {"count", route.count},
                      {"errors", route.errors},
                      {"p50_ms", rounded(route.latency.percentile_ms(0.50))},
                      {"p95_ms", rounded(route.latency.percentile_ms(0.95))},
                      {"p99_ms", rounded(route.latency.percentile_ms(0.99))},
                      {"avg_db_queries",
                       rounded(transactions / static_cast<double>(route.count))}});
  }
  for (const auto& [status, n] : statuses)
    by_status[status == 0 ? std::string("other") : std::to_string(status)] = n;

  const StoreStatistics& db = snapshot.database;
  Json pool = nullptr;
  if (db.pool) pool = {{"size", db.pool->size}, {"in_use", db.pool->in_use}};
  return {{"uptime_s", snapshot.uptime_s},
          {"started_at", format_timestamp(snapshot.started_at)},
          {"requests",
           {{"total", total}, {"by_status", std::move(by_status)},
            {"in_flight", snapshot.in_flight}}},
          {"routes", std::move(routes)},
          {"database",
           {{"backend", db.backend},
            {"size_bytes", or_null(db.size_bytes)},
            {"wal_size_bytes", or_null(db.wal_size_bytes)},
            {"pool", std::move(pool)},
            {"statements", db.statements},
            {"slow_queries", db.slow_statements},
            {"slow_query_threshold_ms", db.slow_statement_threshold_ms}}},
          {"realtime",
           {{"connected_clients", snapshot.realtime.connected_clients},
            {"held_polls", snapshot.realtime.held_polls},
            {"rooms", snapshot.realtime.rooms},
            {"events_delivered", snapshot.realtime.events_delivered},
            {"dropped_subscribers", snapshot.realtime.dropped_subscribers}}}};
}

}  // namespace taskcore::server

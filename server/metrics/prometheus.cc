#include "metrics/prometheus.h"

#include <fmt/format.h>

#include <iterator>

namespace taskcore::server {
namespace {

class Writer {
 public:
  // # HELP and # TYPE once per family, before its first sample.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name,
                   type);
  }
  // `labels` is already "a=\"x\",b=\"y\"" (escaped) or empty.
  template <class V>
  void sample(std::string_view name, std::string_view labels, V value) {
    if (labels.empty()) {
      fmt::format_to(std::back_inserter(out_), "{} {}\n", name, value);
    } else {
      fmt::format_to(std::back_inserter(out_), "{}{{{}}} {}\n", name, labels, value);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string route_labels(const RouteSnapshot& route) {
  return fmt::format("method=\"{}\",route=\"{}\"", prometheus_escape(route.method),
                     prometheus_escape(route.route));
}

void write_http(Writer& w, const MetricsSnapshot& s) {
  w.family("taskcore_http_requests_total", "counter",
           "HTTP requests answered, by method, route template and status.");
  for (const RouteSnapshot& route : s.routes) {
    const std::string labels = route_labels(route);
    for (const auto& [status, n] : route.statuses)
      w.sample("taskcore_http_requests_total",
               fmt::format("{},status=\"{}\"", labels,
                           status == 0 ? std::string("other") : std::to_string(status)),
               n);
  }
  w.family("taskcore_http_requests_in_flight", "gauge", "HTTP requests being served now.");
  w.sample("taskcore_http_requests_in_flight", "", s.in_flight);

  w.family("taskcore_http_request_duration_seconds", "histogram",
           "Time from routing a request to its response being ready.");
  const auto bounds = LatencyHistogram::upper_bounds_ms();
  for (const RouteSnapshot& route : s.routes) {
    const std::string labels = route_labels(route);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      cumulative += route.latency.buckets[i];
      w.sample("taskcore_http_request_duration_seconds_bucket",
               fmt::format("{},le=\"{:.6g}\"", labels, bounds[i] / 1000.0), cumulative);
    }
    w.sample("taskcore_http_request_duration_seconds_bucket",
             fmt::format("{},le=\"+Inf\"", labels), route.latency.count);
    w.sample("taskcore_http_request_duration_seconds_sum", labels,
             route.latency.sum_ms / 1000.0);
    w.sample("taskcore_http_request_duration_seconds_count", labels, route.latency.count);
  }
  w.family("taskcore_http_request_db_transactions_total", "counter",
           "Store transactions requests of a route asked for.");
  for (const RouteSnapshot& route : s.routes)
    w.sample("taskcore_http_request_db_transactions_total", route_labels(route),
             route.db_transactions);
}

void write_database(Writer& w, const StoreStatistics& db) {
  const std::string labels = fmt::format("backend=\"{}\"", prometheus_escape(db.backend));
  if (db.size_bytes) {
    w.family("taskcore_db_size_bytes", "gauge", "Size of the database on disk.");
    w.sample("taskcore_db_size_bytes", labels, *db.size_bytes);
  }
  if (db.wal_size_bytes) {
    w.family("taskcore_db_wal_size_bytes", "gauge", "Size of the SQLite write-ahead log.");
    w.sample("taskcore_db_wal_size_bytes", labels, *db.wal_size_bytes);
  }
  if (db.pool) {
    w.family("taskcore_db_pool_size", "gauge", "Connections the pool may hold.");
    w.sample("taskcore_db_pool_size", labels, db.pool->size);
    w.family("taskcore_db_pool_in_use", "gauge", "Pooled connections leased now.");
    w.sample("taskcore_db_pool_in_use", labels, db.pool->in_use);
  }
  w.family("taskcore_db_statements_total", "counter", "SQL statements executed.");
  w.sample("taskcore_db_statements_total", labels, db.statements);
  w.family("taskcore_db_slow_statements_total", "counter",
           "SQL statements that took at least the slow threshold.");
  w.sample("taskcore_db_slow_statements_total", labels, db.slow_statements);
  w.family("taskcore_db_slow_statement_threshold_seconds", "gauge",
           "The slow statement threshold.");
  w.sample("taskcore_db_slow_statement_threshold_seconds", labels,
           db.slow_statement_threshold_ms / 1000.0);
}

void write_realtime(Writer& w, const RealtimeSnapshot& r) {
  w.family("taskcore_realtime_connected_clients", "gauge",
           "Realtime subscribers (Socket.IO sockets and JSON long-polls).");
  w.sample("taskcore_realtime_connected_clients", "", r.connected_clients);
  w.family("taskcore_realtime_held_polls", "gauge", "Long-polls held open now.");
  w.sample("taskcore_realtime_held_polls", "", r.held_polls);
  w.family("taskcore_realtime_rooms", "gauge", "Rooms with at least one local subscriber.");
  w.sample("taskcore_realtime_rooms", "", r.rooms);
  w.family("taskcore_realtime_events_delivered_total", "counter",
           "Events queued to subscribers.");
  w.sample("taskcore_realtime_events_delivered_total", "", r.events_delivered);
  w.family("taskcore_realtime_dropped_subscribers_total", "counter",
           "Subscribers dropped because their queue overflowed.");
  w.sample("taskcore_realtime_dropped_subscribers_total", "", r.dropped_subscribers);
}

}  // namespace

std::string prometheus_escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string prometheus_text(const MetricsSnapshot& snapshot) {
  Writer w;
  w.family("taskcore_uptime_seconds", "gauge", "Seconds since the server started.");
  w.sample("taskcore_uptime_seconds", "", snapshot.uptime_s);
  write_http(w, snapshot);
  write_database(w, snapshot.database);
  write_realtime(w, snapshot.realtime);
  return w.take();
}

}  // namespace taskcore::server

#pragma once

// One reading of every figure the server reports, taken once and rendered
// twice: as the JSON of GET /api/admin/metrics/ (metrics_json.h) and as
// Prometheus text (prometheus.h). The HTTP figures come from the router's
// slots, the database ones from Store::statistics(), the realtime ones
// from the core's hub and the server's hold gate.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "taskcore/metrics.h"
#include "taskcore/store.h"
#include "taskcore/time.h"

namespace taskcore {
class Core;
}

namespace taskcore::server {

class Router;
namespace realtime {
class RealtimeEnv;
}

struct RouteSnapshot {
  std::string method;
  std::string route;
  std::vector<std::pair<int, std::uint64_t>> statuses;  // ascending; 0 = other
  std::uint64_t count = 0;
  std::uint64_t errors = 0;  // status >= 500
  LatencyHistogram::Snapshot latency;
  std::uint64_t db_transactions = 0;
};

struct RealtimeSnapshot {
  std::uint64_t connected_clients = 0;
  std::uint64_t held_polls = 0;
  std::uint64_t rooms = 0;
  std::uint64_t events_delivered = 0;
  std::uint64_t dropped_subscribers = 0;
};

struct MetricsSnapshot {
  std::int64_t uptime_s = 0;
  Timestamp started_at = 0;
  std::uint64_t in_flight = 0;
  std::vector<RouteSnapshot> routes;  // used ones only, by (route, method)
  StoreStatistics database;
  RealtimeSnapshot realtime;
};

// Where the figures live; all outlive the snapshots taken.
struct MetricsSources {
  Core& core;
  const Router& router;
  realtime::RealtimeEnv& realtime;
  Timestamp started_at;                            // wall clock, for display
  std::chrono::steady_clock::time_point started;  // for the uptime
  const std::atomic<std::uint64_t>& in_flight;
};

MetricsSnapshot take_metrics_snapshot(const MetricsSources& sources);

}  // namespace taskcore::server

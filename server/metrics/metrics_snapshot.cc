#include "metrics/metrics_snapshot.h"

#include <algorithm>
#include <tuple>

#include "metrics/route_metrics.h"
#include "realtime/realtime_env.h"
#include "router.h"
#include "taskcore/taskcore.h"

namespace taskcore::server {

MetricsSnapshot take_metrics_snapshot(const MetricsSources& sources) {
  MetricsSnapshot out;
  out.uptime_s = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::steady_clock::now() - sources.started)
                     .count();
  out.started_at = sources.started_at;
  out.in_flight = sources.in_flight.load(std::memory_order_relaxed);

  for (const RouteMetrics* slot : sources.router.metrics_slots()) {
    RouteSnapshot route;
    route.method = slot->method;
    route.route = slot->route;
    slot->statuses.for_each([&](int status, std::uint64_t n) {
      route.statuses.emplace_back(status, n);
      route.count += n;
      // Server errors only: a 4xx is the client's mistake (or an expected
      // answer such as 404 on a probe) and says nothing of our health.
      if (status >= 500 || status == 0) route.errors += n;
    });
    if (route.count == 0) continue;  // unused routes would be noise
    route.latency = slot->latency.snapshot();
    route.db_transactions = slot->db_transactions.load(std::memory_order_relaxed);
    out.routes.push_back(std::move(route));
  }
  std::sort(out.routes.begin(), out.routes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.route, a.method) < std::tie(b.route, b.method);
  });

  out.database = sources.core.store().statistics();

  const RealtimeStats hub = sources.core.realtime().stats();
  out.realtime.connected_clients = hub.subscribers;
  out.realtime.held_polls = sources.realtime.holds().held();
  out.realtime.rooms = hub.rooms;
  out.realtime.events_delivered = hub.events_delivered;
  out.realtime.dropped_subscribers = hub.subscribers_dropped;
  return out;
}

}  // namespace taskcore::server

#pragma once

// The figures of one route and method: the slot a request is recorded in.
// The router makes one per endpoint when routes are added (plus one per
// route for methods it lacks, and one for requests matching no route), so
// the set is fixed once serving and recording is a handful of relaxed
// atomic increments, with no lock and no lookup by name.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "taskcore/metrics.h"

namespace taskcore::server {

// The method label of a slot for methods a route has no handler for
// (405s, OPTIONS), and the route label of requests no route matched: raw
// methods and paths are the client's choice and would grow without bound.
inline constexpr const char* kOtherMethod = "*";
inline constexpr const char* kUnmatchedRoute = "unmatched";

struct RouteMetrics {
  RouteMetrics(std::string method_label, std::string route_label)
      : method(std::move(method_label)), route(std::move(route_label)) {}
  RouteMetrics(const RouteMetrics&) = delete;
  RouteMetrics& operator=(const RouteMetrics&) = delete;

  void record(int status, std::chrono::nanoseconds elapsed,
              std::uint64_t transactions) noexcept {
    statuses.record(status);
    latency.record(elapsed);
    db_transactions.fetch_add(transactions, std::memory_order_relaxed);
  }

  const std::string method;  // "GET", or kOtherMethod
  const std::string route;   // the router's template, or kUnmatchedRoute
  StatusCounters statuses;
  LatencyHistogram latency;
  // Store transactions the requests asked for (CountingStore).
  std::atomic<std::uint64_t> db_transactions{0};
};

}  // namespace taskcore::server

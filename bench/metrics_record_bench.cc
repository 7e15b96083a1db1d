// What recording one request in the metrics costs: the work App::handle adds
// per request (two clock reads, in-flight up and down, RouteMetrics::record),
// on one slot from 1 and 2 threads (the contended case: one hot route).

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>
#include "metrics/route_metrics.h"  // server/, header-only
int main() {
  taskcore::server::RouteMetrics slot("GET", "/api/tasks");
  std::atomic<std::uint64_t> in_flight{0};
  constexpr int kN = 5'000'000;
  for (int threads : {1, 2}) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        for (int i = 0; i < kN; ++i) {
          const auto start = std::chrono::steady_clock::now();
          in_flight.fetch_add(1, std::memory_order_relaxed);
          in_flight.fetch_sub(1, std::memory_order_relaxed);
          slot.record(200, std::chrono::steady_clock::now() - start, 2);
        }
      });
    for (auto& th : pool) th.join();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%d thread(s) on one slot: %.1f ns per request recorded (wall per op per thread)\n", threads, ns / kN);
  }
}

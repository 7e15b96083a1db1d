// Times core-level task queries (no HTTP) on a seeded database and prints
// the median and p99 of each:
//
//   taskcore_bench_query --db bench.db [--runs 200]

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "taskcore/open_store.h"
#include "taskcore/taskcore.h"

using namespace taskcore;

namespace {

struct Scenario {
  const char* name;
  QueryParams params;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Time core task queries"};
  std::string db = "bench.db";
  int runs = 200;
  app.add_option("--db", db, "Seeded SQLite file or PostgreSQL URI")->required();
  app.add_option("--runs", runs, "Runs per scenario")->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);

  Options options;
  options.store = open_store(db);
  Core core(std::move(options));
  const Principal reader{1, Role::kAdmin, ""};

  const std::vector<Scenario> scenarios = {
      {"list page 1", {}},
      {"list page 50", {{"page", "50"}}},
      {"filtered", {{"category", "web,design"}, {"priority", "high"},
                    {"due_date_start", "2025-06-01"}, {"due_date_end", "2026-06-01"},
                    {"ordering", "-due_date"}}},
      {"search one word", {{"search", "invoice"}}},
      {"search prefix", {{"search", "login pag"}}},
      {"ordering priority", {{"ordering", "-priority,due_date"}}},
  };

  std::printf("%-20s %10s %10s %8s\n", "scenario", "median_ms", "p99_ms", "count");
  // Token verification, paid by every authenticated request.
  {
    const std::string token =
        core.auth().login("bench_admin", "bench-password").tokens.access;
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
      const auto start = std::chrono::steady_clock::now();
      core.auth().authenticate(token);
      times.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    std::sort(times.begin(), times.end());
    std::printf("%-20s %10.3f %10.3f %8s\n", "authenticate", times[times.size() / 2],
                times[std::min(times.size() - 1, times.size() * 99 / 100)], "-");
  }
  // The rate limiter, paid by every request: a per-user read limit high
  // enough never to refuse, so every call takes the counting path.
  {
    RateLimitOptions limits;
    limits.reads_per_user = {1'000'000'000, 60'000};
    Options limited;
    limited.store = open_store(db);
    limited.rate_limits = limits;
    Core counted(std::move(limited));
    constexpr int kCalls = 200000;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i) counted.auth().check_rate(RequestKind::kRead, 1 + i % 50, "");
    const double ns = std::chrono::duration<double, std::nano>(
                          std::chrono::steady_clock::now() - start).count() / kCalls;
    std::printf("%-20s %10.6f %10s %8s\n", "rate limit check", ns / 1e6, "-", "-");
  }
  for (const auto& scenario : scenarios) {
    const TaskFilter filter = parse_task_filter(scenario.params);
    const PageRequest page = parse_page_request(scenario.params);
    std::vector<double> times;
    std::int64_t count = 0;
    for (int i = 0; i < runs; ++i) {
      const auto start = std::chrono::steady_clock::now();
      count = core.tasks().list(reader, filter, page).count;
      times.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    std::sort(times.begin(), times.end());
    std::printf("%-20s %10.3f %10.3f %8lld\n", scenario.name, times[times.size() / 2],
                times[std::min(times.size() - 1, times.size() * 99 / 100)],
                static_cast<long long>(count));
  }
  return 0;
}

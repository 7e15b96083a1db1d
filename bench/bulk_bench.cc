// Times bulk updates in the core (no HTTP) on a seeded database:
//
//   taskcore_bench_bulk --db bench.db [--size 1000] [--runs 30]
//                       [--pattern contiguous|random]
//
// Each run sets a status (cycling through the four) on --size ids, either a
// run of consecutive ids (tasks created together, the common case) or ids
// drawn at random, and prints p50 / p99 / max in milliseconds.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>

#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"

using namespace taskcore;

int main(int argc, char** argv) {
  CLI::App app{"Time bulk updates in the core"};
  std::string db = "bench.db";
  int size = 1000;
  int runs = 30;
  std::string pattern = "contiguous";
  app.add_option("--db", db, "Seeded SQLite file")->required();
  app.add_option("--size", size, "Ids per bulk update")->check(CLI::Range(1, 10000));
  app.add_option("--runs", runs, "Timed runs")->check(CLI::Range(1, 100000));
  app.add_option("--pattern", pattern, "contiguous or random")
      ->check(CLI::IsMember({"contiguous", "random"}));
  CLI11_PARSE(app, argc, argv);

  sqlite_disable_memory_statistics();
  Options options;
  options.store = open_sqlite_store({.path = db});
  Core core(std::move(options));
  const Principal admin{1, Role::kAdmin, ""};
  const std::int64_t max_id = core.tasks().list(admin, {}, {1, 1}).items.at(0).id;

  constexpr const char* kStatuses[] = {"todo", "in_progress", "review", "done"};
  std::mt19937 rng(7);
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    BulkUpdateInput input;
    if (pattern == "contiguous") {
      const std::int64_t start =
          std::uniform_int_distribution<std::int64_t>(1, std::max<std::int64_t>(1, max_id - size))(rng);
      input.task_ids.resize(static_cast<std::size_t>(size));
      std::iota(input.task_ids.begin(), input.task_ids.end(), start);
    } else {
      std::uniform_int_distribution<std::int64_t> any(1, max_id);
      for (int i = 0; i < size; ++i) input.task_ids.push_back(any(rng));
    }
    input.updates.status = std::optional<std::string>(kStatuses[run % 4]);
    const auto started = std::chrono::steady_clock::now();
    core.tasks().bulk_update(admin, input);
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - started)
                        .count());
  }
  std::sort(times.begin(), times.end());
  std::printf("bulk_update %s size=%d runs=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
              pattern.c_str(), size, runs, times[times.size() / 2],
              times[std::min(times.size() - 1, times.size() * 99 / 100)], times.back());
  return 0;
}

// The query matrix: 34 list queries covering every filter alone (high and
// low selectivity), 2-4 filters combined, every ordering key in both
// directions, comma lists, date ranges open on either end, searches (a
// common word, a word nowhere, two words with a prefix, with filters), and
// deep pages, timed in the core (TaskService::list: page + count) on a
// seeded database:
//
//   taskcore_bench_matrix --db bench.db [--runs 50] [--no-index] [--tsv FILE]
//
// Prints a Markdown table: matches, p50 and p99 in milliseconds; --tsv also
// writes `number<TAB>name<TAB>matches<TAB>p50<TAB>p99` lines (bench/matrix.sh
// merges them across sizes).

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "taskcore/open_store.h"
#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"

using namespace taskcore;

namespace {

struct Query {
  const char* name;
  QueryParams params;
};

std::vector<Query> matrix() {
  const std::string year = "due_date_start=2025-06-01";
  return {
      {"list, default ordering", {}},
      {"list, page 50", {{"page", "50"}}},
      {"list, page 500", {{"page", "500"}}},
      {"status=todo", {{"status", "todo"}}},
      {"status=todo,in_progress", {{"status", "todo,in_progress"}}},
      {"priority=urgent", {{"priority", "urgent"}}},
      {"category=web", {{"category", "web"}}},
      {"category=web,design,backend", {{"category", "web,design,backend"}}},
      {"project=apollo", {{"project", "apollo"}}},
      {"assigned_to=one user", {{"assigned_to", "3"}}},
      {"created_by=one user", {{"created_by", "5"}}},
      {"due in one week", {{"due_date_start", "2025-06-01"}, {"due_date_end", "2025-06-07"}}},
      {"due in one year", {{"due_date_start", "2025-06-01"}, {"due_date_end", "2026-06-01"}}},
      {"due from a date on (open end)", {{"due_date_start", "2026-06-01"}}},
      {"due up to a date (open start)", {{"due_date_end", "2025-03-01"}}},
      {"2 categories + priority + due year, -due_date",
       {{"category", "web,design"}, {"priority", "high"}, {"due_date_start", "2025-06-01"},
        {"due_date_end", "2026-06-01"}, {"ordering", "-due_date"}}},
      {"status + project, ordering=title",
       {{"status", "done"}, {"project", "zeus"}, {"ordering", "title"}}},
      {"4 filters (category, status, priority, due)",
       {{"category", "qa"}, {"status", "review"}, {"priority", "low"},
        {"due_date_end", "2025-12-31"}}},
      {"comma lists in 3 filters",
       {{"category", "web,design"}, {"status", "todo,review"}, {"priority", "high,urgent"}}},
      {"assigned_to + created_by", {{"assigned_to", "3,4,5"}, {"created_by", "2,6"}}},
      {"ordering=due_date", {{"ordering", "due_date"}}},
      {"ordering=-due_date", {{"ordering", "-due_date"}}},
      {"ordering=priority", {{"ordering", "priority"}}},
      {"ordering=-priority", {{"ordering", "-priority"}}},
      {"ordering=created_at", {{"ordering", "created_at"}}},
      {"ordering=-updated_at", {{"ordering", "-updated_at"}}},
      {"ordering=title", {{"ordering", "title"}}},
      {"ordering=-title", {{"ordering", "-title"}}},
      {"ordering=-priority,due_date", {{"ordering", "-priority,due_date"}}},
      {"status=done, ordering=-priority,title",
       {{"status", "done"}, {"ordering", "-priority,title"}}},
      {"search, one common word", {{"search", "report"}}},
      {"search, a word nowhere", {{"search", "xylophone"}}},
      {"search, two words with a prefix", {{"search", "login pag"}}},
      {"search + status filter", {{"search", "deploy"}, {"status", "todo"}}},
      {"search + 2 filters, -due_date",
       {{"search", "cache"}, {"category", "web,ops"}, {"priority", "high"},
        {"ordering", "-due_date"}}},
      {"search, page 20", {{"search", "report"}, {"page", "20"}}},
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Time the query matrix in the core"};
  std::string db;
  int runs = 50;
  bool no_index = false;
  std::string tsv_path;
  app.add_option("--db", db, "Seeded SQLite file or PostgreSQL URI")->required();
  app.add_option("--runs", runs, "Runs per query")->check(CLI::Range(3, 100000));
  app.add_flag("--no-index", no_index, "Answer every query from SQL");
  app.add_option("--tsv", tsv_path, "Also write the figures as tab-separated lines");
  CLI11_PARSE(app, argc, argv);

  sqlite_disable_memory_statistics();
  Options options;
  SqliteOptions sqlite;
  sqlite.path = db;
  sqlite.task_index = !no_index;
  const bool postgres = db.rfind("postgres://", 0) == 0 || db.rfind("postgresql://", 0) == 0;
  const auto opened = std::chrono::steady_clock::now();
  options.store = postgres ? open_store(db) : open_sqlite_store(sqlite);
  const double open_ms = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - opened).count();
  Core core(std::move(options));
  const Principal reader{1, Role::kAdmin, ""};

  std::printf("store opened in %.0f ms (%s)\n\n", open_ms,
              postgres   ? "PostgreSQL"
              : no_index ? "no task index"
                         : "task index built at open");
  // The first read after open also opens a reader connection and warms its
  // page cache: a once-per-process cost, reported apart from the matrix.
  {
    const auto start = std::chrono::steady_clock::now();
    core.tasks().list(reader, TaskFilter{}, PageRequest{});
    std::printf("first query after open: %.1f ms\n\n",
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
  }
  std::printf("| # | query | matches | p50 ms | p99 ms |\n|---|---|---|---|---|\n");
  int number = 0;
  double worst_p99 = 0;
  std::FILE* tsv = tsv_path.empty() ? nullptr : std::fopen(tsv_path.c_str(), "w");
  for (const Query& query : matrix()) {
    const TaskListQuery parsed = parse_task_list_query(query.params);
    std::vector<double> times;
    std::int64_t count = 0;
    for (int i = 0; i < runs; ++i) {
      const auto start = std::chrono::steady_clock::now();
      try {
        count = core.tasks().list(reader, parsed.filter, parsed.page).count;
      } catch (const Error&) {
        count = -1;  // a page past the end: still timed
      }
      times.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    const double p99 = times[std::min(times.size() - 1, times.size() * 99 / 100)];
    worst_p99 = std::max(worst_p99, p99);
    std::printf("| %d | %s | %lld | %.3f | %.3f |\n", ++number, query.name,
                static_cast<long long>(count), times[times.size() / 2], p99);
    if (tsv)
      std::fprintf(tsv, "%d\t%s\t%lld\t%.3f\t%.3f\n", number, query.name,
                   static_cast<long long>(count), times[times.size() / 2], p99);
  }
  if (tsv) std::fclose(tsv);
  std::printf("\nworst p99: %.3f ms\n", worst_p99);
  return 0;
}

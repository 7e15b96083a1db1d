// Seeds a database with realistic tasks through the core API (the same rules
// the server applies), for benchmarks:
//
//   taskcore_seed --db bench.db --tasks 100000 [--users 50] [--seed 42]
//
// Distributions: 12 categories (skewed), 6 projects (10% of tasks without),
// every status and priority, due dates over two years (15% without), 70%
// assigned; titles and descriptions drawn from a 1250-word vocabulary, so
// one word hits about 2-3% of tasks. Users: one admin "bench_admin"
// (password "bench-password"), and the rest spread over manager / member /
// viewer.

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "taskcore/open_store.h"
#include "taskcore/postgres_store.h"
#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"

using namespace taskcore;

namespace {

constexpr const char* kCategories[] = {"web", "design", "backend", "mobile",
                                       "ops", "docs", "research", "qa",
                                       "marketing", "security", "data", "support"};
constexpr const char* kProjects[] = {"apollo", "zeus", "hermes", "athena",
                                     "poseidon", "hera"};
constexpr const char* kStatuses[] = {"todo", "in_progress", "review", "done"};
constexpr const char* kPriorities[] = {"low", "medium", "high", "urgent"};
constexpr const char* kWords[] = {
    "fix", "update", "design", "review", "deploy", "refactor", "test", "write",
    "login", "page", "api", "database", "cache", "report", "dashboard", "user",
    "profile", "search", "export", "import", "invoice", "payment", "email",
    "notification", "settings", "mobile", "layout", "button", "form", "upload",
    "thumbnail", "billing", "audit", "metrics", "latency", "memory", "backup",
    "restore", "migration", "schema", "index", "query", "session", "token",
    "permission", "role", "admin", "release", "changelog", "onboarding"};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seed a taskcore database for benchmarks"};
  std::string db = "bench.db";
  int task_count = 100000;
  int user_count = 50;
  unsigned seed = 42;
  app.add_option("--db", db, "SQLite file (replaced), or a PostgreSQL URI of an empty database");
  app.add_option("--tasks", task_count, "Number of tasks")->check(CLI::Range(0, 10000000));
  app.add_option("--users", user_count, "Number of users besides the admin")
      ->check(CLI::Range(3, 100000));
  app.add_option("--seed", seed, "Random seed");
  CLI11_PARSE(app, argc, argv);

  const bool postgres = is_postgres_uri(db);
  if (!postgres)
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);

  Options options;
  // A big page cache keeps the indexes of a large import in memory.
  options.store = postgres ? open_store(db) : open_sqlite_store({.path = db, .cache_kib = 262144});
  options.password_cost = PasswordCost::fast();  // seeded users only
  Core core(std::move(options));

  const auto started = std::chrono::steady_clock::now();
  std::mt19937 rng(seed);
  auto pick = [&](auto& array) {
    return array[std::uniform_int_distribution<std::size_t>(0, std::size(array) - 1)(rng)];
  };

  core.users().create_user(
      {"bench_admin", "bench_admin@example.com", "bench-password", Role::kAdmin});

  std::vector<Principal> creators;
  std::vector<std::int64_t> user_ids;
  for (int i = 0; i < user_count; ++i) {
    const Role role = i % 10 == 0 ? Role::kManager : i % 10 == 9 ? Role::kViewer : Role::kMember;
    const std::string name = "user" + std::to_string(i);
    User user = core.users().create_user({name, name + "@example.com", "bench-password", role});
    user_ids.push_back(user.id);
    if (role != Role::kViewer) creators.push_back({user.id, user.role, ""});
  }

  // Skewed category choice: early categories are more common.
  std::discrete_distribution<int> category_weight({20, 16, 13, 11, 9, 8, 6, 5, 4, 3, 3, 2});
  std::uniform_int_distribution<int> due_offset(-365, 365);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> word_count(3, 7);
  const std::int64_t today = days_from_date({2026, 1, 1});

  // A vocabulary of the real words above plus generated ones, so that one
  // word occurs in about 3% of tasks and a two-word search in far fewer.
  std::vector<std::string> vocabulary(std::begin(kWords), std::end(kWords));
  constexpr const char* kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "so", "ta",
                                        "vi", "be", "do", "fu", "ga", "hi", "jo",
                                        "ku", "pe", "ri", "sa", "te", "zo"};
  for (const char* a : kSyllables)
    for (const char* b : kSyllables)
      for (const char* c : {"n", "r", "s"})
        vocabulary.push_back(std::string(a) + b + c);
  std::uniform_int_distribution<std::size_t> word(0, vocabulary.size() - 1);
  auto sentence = [&](int words) {
    std::string text;
    for (int w = 0; w < words; ++w) {
      if (w) text.push_back(' ');
      text += vocabulary[word(rng)];
    }
    return text;
  };

  // Batches go through TaskService::create_many: the same validation as one
  // create, but one transaction per batch instead of one per task.
  constexpr int kBatch = 2000;
  std::vector<TaskInput> batch;
  batch.reserve(kBatch);
  std::size_t batch_number = 0;
  auto flush = [&] {
    if (batch.empty()) return;
    core.tasks().create_many(creators[batch_number++ % creators.size()], batch);
    batch.clear();
  };
  for (int i = 0; i < task_count; ++i) {
    TaskInput input;
    std::string title = sentence(word_count(rng));
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
    input.title = std::optional<std::string>(title);
    input.description = std::optional<std::string>(sentence(15 + word_count(rng) * 2));
    input.status = std::optional<std::string>(pick(kStatuses));
    input.priority = std::optional<std::string>(pick(kPriorities));
    input.category = std::optional<std::string>(kCategories[category_weight(rng)]);
    if (percent(rng) < 90) input.project = std::optional<std::string>(pick(kProjects));
    if (percent(rng) < 85)
      input.due_date = std::optional<std::string>(
          format_date(date_from_days(today + due_offset(rng))));
    if (percent(rng) < 70) input.assigned_to = std::optional<std::int64_t>(pick(user_ids));
    batch.push_back(std::move(input));
    if (static_cast<int>(batch.size()) == kBatch) flush();
  }
  flush();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("seeded %d tasks and %d users into %s in %.2f s\n", task_count,
              user_count + 1, postgres ? "PostgreSQL" : db.c_str(), seconds);
  return 0;
}

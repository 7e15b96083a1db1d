// Seeds a database with tasks through the core API (the same rules the
// server applies), for benchmarks:
//
//   taskcore_seed --db bench.db --tasks 100000 [--spread classic|uniform|skewed]
//                 [--users 50] [--seed 42]
//
// Spreads:
//   classic  the first benchmarks' data: 12 categories (skewed), 6 projects
//            (10% without), due dates over two years around 2026-01-01 (15%
//            without), 70% assigned, titles and descriptions from a
//            1250-word vocabulary (one word hits about 2-3% of tasks).
//   uniform  as a new user's tracker looks: 12 categories, 8 projects, the
//            4 statuses and 4 priorities evenly, due dates evenly over
//            2025-2026, 30% assigned, text from an 80-word vocabulary (a
//            word hits ~10-30% of tasks).
//   skewed   the same vocabulary, but 80% of tasks in 2 projects, 60% done,
//            70% without a due date, 2 categories holding 70%.
// Users: one admin "bench_admin" (password "bench-password") and the rest
// spread over manager / member / viewer.

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
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
                                     "poseidon", "hera", "ares", "demeter"};
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
// 30 more everyday words: with kWords, the uniform spread's ~80 words.
constexpr const char* kCommonWords[] = {
    "the", "new", "old", "add", "remove", "check", "bug", "feature", "client",
    "server", "team", "meeting", "plan", "draft", "final", "weekly", "monthly",
    "customer", "order", "list", "view", "error", "slow", "broken", "docs",
    "support", "ticket", "ship", "launch", "cleanup"};


struct Spread {
  virtual ~Spread() = default;
  virtual TaskInput next() = 0;
};

class Generator {
 public:
  Generator(unsigned seed, std::vector<std::int64_t> users) : rng_(seed), users_(std::move(users)) {}
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  int percent() { return static_cast<int>(below(100)); }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) { return items[below(N)]; }
  std::int64_t user() { return users_[below(users_.size())]; }
  std::mt19937& rng() { return rng_; }

  std::string sentence(const std::vector<std::string>& vocabulary, std::size_t words) {
    std::string text;
    for (std::size_t w = 0; w < words; ++w) {
      if (w) text.push_back(' ');
      text += vocabulary[below(vocabulary.size())];
    }
    return text;
  }

 private:
  std::mt19937 rng_;
  std::vector<std::int64_t> users_;
};

std::optional<std::string> text(std::string value) { return std::optional<std::string>(std::move(value)); }

void set_text(TaskInput& input, Generator& gen, const std::vector<std::string>& vocabulary,
              std::size_t title_words, std::size_t description_words) {
  std::string title = gen.sentence(vocabulary, title_words);
  title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  input.title = text(std::move(title));
  input.description = text(gen.sentence(vocabulary, description_words));
}

std::string day_text(std::int64_t days) { return format_date(date_from_days(days)); }

class ClassicSpread final : public Spread {
 public:
  explicit ClassicSpread(Generator& gen) : gen_(gen) {
    vocabulary_.assign(std::begin(kWords), std::end(kWords));
    constexpr const char* kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "so", "ta",
                                          "vi", "be", "do", "fu", "ga", "hi", "jo",
                                          "ku", "pe", "ri", "sa", "te", "zo"};
    for (const char* a : kSyllables)
      for (const char* b : kSyllables)
        for (const char* c : {"n", "r", "s"}) vocabulary_.push_back(std::string(a) + b + c);
  }
  TaskInput next() override {
    TaskInput input;
    set_text(input, gen_, vocabulary_, 3 + gen_.below(5), 15 + 2 * (3 + gen_.below(5)));
    input.status = text(gen_.pick(kStatuses));
    input.priority = text(gen_.pick(kPriorities));
    input.category = text(kCategories[category_weight_(gen_.rng())]);
    if (gen_.percent() < 90) input.project = text(kProjects[gen_.below(6)]);
    if (gen_.percent() < 85)
      input.due_date = text(day_text(days_from_date({2026, 1, 1}) - 365 +
                                     static_cast<std::int64_t>(gen_.below(731))));
    if (gen_.percent() < 70) input.assigned_to = std::optional<std::int64_t>(gen_.user());
    return input;
  }

 private:
  Generator& gen_;
  std::vector<std::string> vocabulary_;
  std::discrete_distribution<int> category_weight_{20, 16, 13, 11, 9, 8, 6, 5, 4, 3, 3, 2};
};

class UniformSpread final : public Spread {
 public:
  UniformSpread(Generator& gen, bool skewed) : gen_(gen), skewed_(skewed) {
    vocabulary_.assign(std::begin(kWords), std::end(kWords));
    vocabulary_.insert(vocabulary_.end(), std::begin(kCommonWords), std::end(kCommonWords));
  }
  TaskInput next() override {
    TaskInput input;
    set_text(input, gen_, vocabulary_, 2 + gen_.below(5), 6 + gen_.below(12));
    const std::int64_t start = days_from_date({2025, 1, 1});
    input.priority = text(gen_.pick(kPriorities));
    if (gen_.percent() < 30) input.assigned_to = std::optional<std::int64_t>(gen_.user());
    if (!skewed_) {
      input.status = text(gen_.pick(kStatuses));
      input.category = text(gen_.pick(kCategories));
      input.project = text(gen_.pick(kProjects));
      input.due_date = text(day_text(start + static_cast<std::int64_t>(gen_.below(730))));
      return input;
    }
    input.status = text(gen_.percent() < 60 ? "done" : kStatuses[gen_.below(3)]);
    input.project = text(gen_.percent() < 80 ? kProjects[gen_.below(2)] : kProjects[2 + gen_.below(6)]);
    input.category = text(gen_.percent() < 70 ? kCategories[gen_.below(2)] : kCategories[2 + gen_.below(10)]);
    if (gen_.percent() < 30)
      input.due_date = text(day_text(start + static_cast<std::int64_t>(gen_.below(730))));
    return input;
  }

 private:
  Generator& gen_;
  bool skewed_;
  std::vector<std::string> vocabulary_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seed a taskcore database for benchmarks"};
  std::string db = "bench.db";
  int task_count = 100000;
  int user_count = 50;
  unsigned seed = 42;
  std::string spread_name = "classic";
  app.add_option("--db", db, "SQLite file (replaced), or a PostgreSQL URI of an empty database");
  app.add_option("--tasks", task_count, "Number of tasks")->check(CLI::Range(0, 10000000));
  app.add_option("--users", user_count, "Number of users besides the admin")
      ->check(CLI::Range(3, 100000));
  app.add_option("--seed", seed, "Random seed");
  app.add_option("--spread", spread_name, "classic, uniform or skewed")
      ->check(CLI::IsMember({"classic", "uniform", "skewed"}));
  CLI11_PARSE(app, argc, argv);

  const bool postgres = is_postgres_uri(db);
  if (!postgres)
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);

  sqlite_disable_memory_statistics();
  Options options;
  // A big page cache keeps the indexes of a large import in memory; the
  // in-memory task index is not needed while seeding.
  options.store = postgres ? open_store(db)
                           : open_sqlite_store({.path = db, .cache_kib = 262144, .task_index = false});
  options.password_cost = PasswordCost::fast();  // seeded users only
  Core core(std::move(options));

  const auto started = std::chrono::steady_clock::now();
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

  Generator gen(seed, user_ids);
  std::unique_ptr<Spread> spread;
  if (spread_name == "classic") spread = std::make_unique<ClassicSpread>(gen);
  else spread = std::make_unique<UniformSpread>(gen, spread_name == "skewed");

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
    batch.push_back(spread->next());
    if (static_cast<int>(batch.size()) == kBatch) flush();
  }
  flush();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("seeded %d tasks (%s) and %d users into %s in %.2f s\n", task_count,
              spread_name.c_str(), user_count + 1, postgres ? "PostgreSQL" : db.c_str(), seconds);
  return 0;
}

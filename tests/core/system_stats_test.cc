// System stats in the core: the /proc probe over fake files, the sampler's
// range checks, the admin reads, aggregation and retention, and the
// maintenance cleanup. On SQLite and (as core[postgres]) on PostgreSQL.

#include <doctest/doctest.h>

#include <fstream>
#include <mutex>
#include <thread>

#include "core/realtime_support.h"
#include "support/fixtures.h"
#include "taskcore/taskcore.h"

namespace taskcore::testing {
namespace {

constexpr Timestamp kHour = kMsPerHour;
constexpr Timestamp kDay = kMsPerDay;

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A /proc of our own: stat, meminfo, loadavg, sys/kernel/hostname.
struct FakeProc {
  TempDir dir;
  FakeProc() {
    stat(1000, 100, 500, 8000, 400);
    meminfo(16000000, 12000000);
    write_file(dir.path() / "loadavg", "0.52 0.58 0.59 1/467 12345\n");
    write_file(dir.path() / "sys/kernel/hostname", "web-1\n");
  }
  void stat(int user, int nice, int system, int idle, int iowait) {
    write_file(dir.path() / "stat",
               "cpu  " + std::to_string(user) + " " + std::to_string(nice) + " " +
                   std::to_string(system) + " " + std::to_string(idle) + " " +
                   std::to_string(iowait) + " 0 0 0 0 0\ncpu0 1 2 3 4 5 0 0 0 0 0\n");
  }
  void meminfo(long total_kb, long available_kb) {
    write_file(dir.path() / "meminfo", "MemTotal:       " + std::to_string(total_kb) +
                                           " kB\nMemFree:         100 kB\nMemAvailable:   " +
                                           std::to_string(available_kb) + " kB\n");
  }
};

class CapturingLogger final : public Logger {
 public:
  void log(LogLevel level, std::string_view message) noexcept override {
    std::lock_guard lock(mutex_);
    if (level >= LogLevel::kWarning) lines_.emplace_back(message);
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

// Hands out the reading a test set last.
class ScriptedProbe final : public SystemProbe {
 public:
  void set(SystemSample sample) { next_ = std::move(sample); }
  ProbeReading read() override { return {next_, {}}; }

 private:
  SystemSample next_;
};

SystemSample reading(const std::string& host, double cpu, std::int64_t mem_used,
                     std::optional<double> load = 1.0) {
  SystemSample s;
  s.hostname = host;
  s.cpu_percent = cpu;
  s.memory_used_bytes = mem_used;
  s.memory_total_bytes = 1000;
  s.memory_percent = static_cast<double>(mem_used) / 10.0;
  s.load_avg_1 = load;
  return s;
}

struct StatsFixture {
  TempDir dir;
  TestStores stores;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<ManualScheduler> scheduler = std::make_shared<ManualScheduler>();
  std::shared_ptr<CapturingLogger> logger = std::make_shared<CapturingLogger>();
  std::shared_ptr<ScriptedProbe> probe = std::make_shared<ScriptedProbe>();
  std::unique_ptr<Core> core;
  Principal admin;
  Principal member;

  explicit StatsFixture(std::shared_ptr<SystemProbe> custom_probe = nullptr) {
    Options options;
    options.store = stores.open();
    options.clock = clock;
    options.scheduler = scheduler;
    options.logger = logger;
    options.password_cost = PasswordCost::fast();
    options.event_retention.prune_interval_ms = 0;
    options.stats.probe = custom_probe ? custom_probe : probe;
    options.stats.sample_interval_ms = 60000;
    core = std::make_unique<Core>(std::move(options));
    const User a = core->users().create_user({"root", "root@example.com", "password123", Role::kAdmin});
    const User m = core->users().create_user({"mem", "mem@example.com", "password123", Role::kMember});
    admin = Principal{a.id, a.role};
    member = Principal{m.id, m.role};
  }

  SystemSample record_at(Timestamp t, SystemSample s) {
    clock->set(t);
    probe->set(std::move(s));
    return core->stats().record_sample();
  }
};

std::string json_of(const StatsAggregateResult& r) {
  std::string out;
  for (const StatsBucket& b : r.buckets) {
    out += format_timestamp(b.bucket_start) + " n=" + std::to_string(b.samples);
    for (const FieldAggregate& f : b.fields)
      out += " [" + std::to_string(f.count) + " " + std::to_string(f.sum) + " " +
             (f.min ? std::to_string(*f.min) : "-") + " " +
             (f.max ? std::to_string(*f.max) : "-") + "]";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("the /proc probe reads fake files: cpu over the interval, memory, load, host") {
  FakeProc proc;
  TempDir data;
  ProcSystemProbe probe({proc.dir.path(), data.path()});
  // Busy +300 (user 200, system 100), idle +600, iowait +100: 30 % busy.
  proc.stat(1200, 100, 600, 8600, 500);
  const ProbeReading r = probe.read();
  CHECK(r.failures.empty());
  REQUIRE(r.sample.cpu_percent);
  CHECK(*r.sample.cpu_percent == doctest::Approx(30.0));
  CHECK(r.sample.memory_total_bytes == 16000000LL * 1024);
  CHECK(r.sample.memory_used_bytes == 4000000LL * 1024);
  CHECK(*r.sample.memory_percent == doctest::Approx(25.0));
  CHECK(*r.sample.load_avg_1 == doctest::Approx(0.52));
  CHECK(r.sample.hostname == "web-1");
  REQUIRE(r.sample.disk_total_bytes);
  CHECK(*r.sample.disk_total_bytes > 0);
  CHECK(*r.sample.disk_used_bytes <= *r.sample.disk_total_bytes);
  CHECK(*r.sample.disk_percent >= 0);
  CHECK(*r.sample.disk_percent <= 100);
}

TEST_CASE("a failing probe leaves its field null and says why") {
  FakeProc proc;
  std::filesystem::remove(proc.dir.path() / "loadavg");
  write_file(proc.dir.path() / "meminfo", "MemTotal: 100 kB\n");  // no MemAvailable
  ProcSystemProbe probe({proc.dir.path(), "/nonexistent/taskcore-data"});
  const ProbeReading r = probe.read();
  CHECK_FALSE(r.sample.load_avg_1);
  CHECK_FALSE(r.sample.memory_used_bytes);
  CHECK_FALSE(r.sample.memory_percent);
  CHECK_FALSE(r.sample.disk_total_bytes);
  // The counters did not move since the constructor's reading.
  CHECK_FALSE(r.sample.cpu_percent);
  CHECK(r.failures.size() == 4);
}

TEST_CASE("the sampler, through Core options: fake /proc, failures logged, out of range dropped") {
  FakeProc proc;
  auto probe = std::make_shared<ProcSystemProbe>(ProcProbeOptions{proc.dir.path(), {}});
  StatsFixture f(probe);
  // MemAvailable above MemTotal: used would be negative, never stored.
  proc.meminfo(1000, 5000);
  write_file(proc.dir.path() / "loadavg", "-3.0 0 0 1/1 1\n");
  proc.stat(1100, 100, 600, 8100, 400);  // 200 busy of 300: 66.7 %
  f.clock->set(1735689660000);
  f.scheduler->run_all();
  const SystemSample s = f.core->stats().latest(f.admin);
  CHECK(s.timestamp == 1735689660000);
  CHECK(s.hostname == "web-1");
  CHECK(*s.cpu_percent == doctest::Approx(200.0 / 300.0 * 100.0));
  CHECK(s.memory_total_bytes == 1000 * 1024);
  CHECK_FALSE(s.memory_used_bytes);
  CHECK_FALSE(s.memory_percent);
  CHECK_FALSE(s.load_avg_1);
  CHECK_FALSE(s.disk_percent);  // no data dir given
  const auto lines = f.logger->lines();
  const auto has = [&](const std::string& needle) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  };
  CHECK(has("memory used out of range"));
  CHECK(has("load_avg_1 out of range"));
}

TEST_CASE("stats reads are for admins; list newest first, filtered, paginated; latest") {
  StatsFixture f;
  CHECK(error_code([&] { f.core->stats().latest(f.admin); }) == ErrorCode::kNotFound);
  const Timestamp t0 = 1735689600000;
  for (int i = 0; i < 5; ++i) f.record_at(t0 + i * 60000, reading(i % 2 ? "b" : "a", 10.0 * i, 100 + i));
  CHECK(error_code([&] { f.core->stats().list(f.member, {}, {}); }) == ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { f.core->stats().latest(f.member); }) == ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { f.core->stats().aggregated(f.member, {}); }) ==
        ErrorCode::kPermissionDenied);

  const Page<SystemSample> all = f.core->stats().list(f.admin, {}, {1, 2});
  CHECK(all.count == 5);
  REQUIRE(all.items.size() == 2);
  CHECK(all.items[0].timestamp == t0 + 4 * 60000);
  CHECK(all.items[1].timestamp == t0 + 3 * 60000);
  CHECK(*all.items[0].cpu_percent == doctest::Approx(40.0));
  CHECK(all.items[0].memory_used_bytes == 104);
  CHECK(error_code([&] { f.core->stats().list(f.admin, {}, {4, 2}); }) == ErrorCode::kNotFound);

  StatsFilter range;
  range.start = t0 + 60000;
  range.end = t0 + 3 * 60000;
  CHECK(f.core->stats().list(f.admin, range, {}).count == 3);
  range.hostname = "a";
  const auto only_a = f.core->stats().list(f.admin, range, {});
  REQUIRE(only_a.count == 1);
  CHECK(only_a.items[0].timestamp == t0 + 2 * 60000);

  CHECK(f.core->stats().latest(f.admin).hostname == "a");
  CHECK(f.core->stats().latest(f.admin, std::string("b")).timestamp == t0 + 3 * 60000);
  CHECK(error_code([&] { f.core->stats().latest(f.admin, std::string("zzz")); }) ==
        ErrorCode::kNotFound);
}

TEST_CASE("stats query parameters: dates, timestamps, interval, and their errors") {
  QueryParams params({{"start", "2025-01-02"}, {"end", "2025-01-03"}, {"hostname", " web-1 "}});
  const StatsFilter filter = parse_stats_filter(params);
  CHECK(filter.start == start_of_day({2025, 1, 2}));
  CHECK(filter.end == end_of_day({2025, 1, 3}));
  CHECK(filter.hostname == "web-1");
  CHECK(parse_stats_aggregate_query(QueryParams({{"interval", "day"}})).interval ==
        StatsInterval::kDay);
  CHECK(parse_stats_aggregate_query(QueryParams({})).interval == StatsInterval::kHour);
  const FieldErrors bad = validation_errors([] {
    parse_stats_aggregate_query(
        QueryParams({{"interval", "week"}, {"start", "yesterday"}, {"end", "2025-13-01"}}));
  });
  CHECK(bad.count("interval") == 1);
  CHECK(bad.count("start") == 1);
  CHECK(bad.count("end") == 1);
  const FieldErrors reversed = validation_errors(
      [] { parse_stats_filter(QueryParams({{"start", "2025-02-01"}, {"end", "2025-01-01"}})); });
  CHECK(reversed.count("start") == 1);
}

TEST_CASE("aggregation: hour and day buckets with avg, min, max over servers; nulls skipped") {
  StatsFixture f;
  const Timestamp day = 1735689600000;  // 2025-01-01T00:00Z
  f.record_at(day + 10 * 60000, reading("a", 10, 100));
  f.record_at(day + 20 * 60000, reading("b", 30, 300, std::nullopt));
  f.record_at(day + kHour + 5 * 60000, reading("a", 50, 500));
  f.record_at(day + kDay + 60000, reading("a", 70, 700));

  StatsAggregateQuery hourly;
  hourly.filter.start = day;
  hourly.filter.end = day + 2 * kDay - 1;
  const StatsAggregateResult hours = f.core->stats().aggregated(f.admin, hourly);
  REQUIRE(hours.buckets.size() == 3);
  const StatsBucket& first = hours.buckets[0];
  CHECK(first.bucket_start == day);
  CHECK(first.samples == 2);
  const FieldAggregate& cpu = first.fields[static_cast<std::size_t>(StatsField::kCpuPercent)];
  CHECK(*cpu.average() == doctest::Approx(20.0));
  CHECK(*cpu.min == doctest::Approx(10.0));
  CHECK(*cpu.max == doctest::Approx(30.0));
  const FieldAggregate& load = first.fields[static_cast<std::size_t>(StatsField::kLoadAvg1)];
  CHECK(load.count == 1);  // b had no load reading
  CHECK(hours.buckets[1].bucket_start == day + kHour);
  CHECK(hours.buckets[2].bucket_start == day + kDay);

  StatsAggregateQuery daily = hourly;
  daily.interval = StatsInterval::kDay;
  const StatsAggregateResult days = f.core->stats().aggregated(f.admin, daily);
  REQUIRE(days.buckets.size() == 2);
  CHECK(days.buckets[0].samples == 3);
  const FieldAggregate& mem =
      days.buckets[0].fields[static_cast<std::size_t>(StatsField::kMemoryUsedBytes)];
  CHECK(*mem.average() == doctest::Approx(300.0));
  CHECK(*mem.min == 100);
  CHECK(*mem.max == 500);
  CHECK(days.buckets[1].samples == 1);

  daily.filter.hostname = "b";
  CHECK(f.core->stats().aggregated(f.admin, daily).buckets.size() == 1);

  // Default range: the last day for hours.
  f.clock->set(day + kDay + 2 * kHour);
  const StatsAggregateResult recent = f.core->stats().aggregated(f.admin, {});
  CHECK(recent.end == day + kDay + 2 * kHour);
  CHECK(recent.start == day + 2 * kHour + 1);
  REQUIRE(recent.buckets.size() == 1);
  CHECK(recent.buckets[0].bucket_start == day + kDay);
}

TEST_CASE("retention folds old samples into hourly aggregates without changing any bucket") {
  StatsFixture f;
  const Timestamp start = 1735689600000;
  // Three days of a sample every 20 minutes from two servers, nulls mixed in.
  int n = 0;
  for (Timestamp t = start; t < start + 3 * kDay; t += 20 * 60000, ++n) {
    f.record_at(t, reading("a", n % 100, 100 + n, n % 7 ? std::optional<double>(n * 0.1) : std::nullopt));
    f.record_at(t + 1000, reading("b", (n * 3) % 100, 50 + n));
  }
  const std::int64_t total = 2 * n;
  StatsAggregateQuery hourly;
  hourly.filter.start = start;
  hourly.filter.end = start + 3 * kDay - 1;
  StatsAggregateQuery daily = hourly;
  daily.interval = StatsInterval::kDay;
  const std::string hours_before = json_of(f.core->stats().aggregated(f.admin, hourly));
  const std::string days_before = json_of(f.core->stats().aggregated(f.admin, daily));

  // 30 days and 30 minutes after the second day began: the cutoff is the
  // whole hour 30 days back, so exactly the first day is due.
  f.clock->set(start + kDay + 30 * kDay + 30 * 60000);
  std::vector<std::pair<std::int64_t, std::int64_t>> progress;
  const RetentionReport first = f.core->stats().apply_retention(
      [&](std::int64_t done, std::int64_t due) { progress.emplace_back(done, due); });
  // Samples before start + 1 day are due: 72 per server.
  CHECK(first.samples_folded == 144);
  CHECK(first.buckets_written == 48);
  CHECK(first.aggregates_deleted == 0);
  REQUIRE(progress.size() == 1);
  CHECK(progress[0] == std::pair<std::int64_t, std::int64_t>{144, 144});
  CHECK(f.core->stats().list(f.admin, {}, {}).count == total - 144);
  CHECK(json_of(f.core->stats().aggregated(f.admin, hourly)) == hours_before);
  CHECK(json_of(f.core->stats().aggregated(f.admin, daily)) == days_before);

  // Again within the hour: nothing changes.
  const RetentionReport again = f.core->stats().apply_retention();
  CHECK(again.samples_folded == 0);
  CHECK(again.buckets_written == 0);
  CHECK(again.aggregates_deleted == 0);

  // Everything past 30 days, over several day-sized transactions.
  f.clock->set(start + 40 * kDay);
  const RetentionReport rest = f.core->stats().apply_retention();
  CHECK(rest.samples_folded == total - 144);
  CHECK(f.core->stats().list(f.admin, {}, {}).count == 0);
  CHECK(json_of(f.core->stats().aggregated(f.admin, hourly)) == hours_before);
  CHECK(json_of(f.core->stats().aggregated(f.admin, daily)) == days_before);

  // A year later the aggregates go too.
  f.clock->set(start + 3 * kDay + 366 * kDay);
  const RetentionReport expired = f.core->stats().apply_retention();
  CHECK(expired.aggregates_deleted == 144);  // 72 hours x 2 servers
  CHECK(f.core->stats().aggregated(f.admin, hourly).buckets.empty());
  CHECK(f.core->stats().apply_retention().aggregates_deleted == 0);
}

TEST_CASE("retention run by two servers at once counts every sample once") {
  StatsFixture f;
  const Timestamp start = 1735689600000;
  for (Timestamp t = start; t < start + 6 * kDay; t += 10 * 60000)
    f.record_at(t, reading("a", 50, 100));
  const std::int64_t total = f.core->stats().list(f.admin, {}, {}).count;
  Options options;
  options.store = f.stores.open();  // the same database, as a second server
  options.clock = f.clock;
  options.scheduler = std::make_shared<ManualScheduler>();
  options.event_retention.prune_interval_ms = 0;
  Core second(std::move(options));
  f.clock->set(start + 40 * kDay);
  RetentionReport reports[2];
  std::thread other([&] { reports[1] = second.stats().apply_retention(); });
  reports[0] = f.core->stats().apply_retention();
  other.join();
  CHECK(reports[0].samples_folded + reports[1].samples_folded == total);
  StatsAggregateQuery all;
  all.filter.start = start;
  all.filter.end = start + 6 * kDay;
  all.interval = StatsInterval::kDay;
  std::int64_t folded = 0;
  for (const StatsBucket& b : f.core->stats().aggregated(f.admin, all).buckets) folded += b.samples;
  CHECK(folded == total);
  CHECK(f.core->stats().list(f.admin, {}, {}).count == 0);
}

TEST_CASE("maintenance cleanup prunes ended sessions and reset tokens, and is idempotent") {
  StatsFixture f;
  f.core->auth().login("mem", "password123");
  f.core->auth().reset_password(f.admin, f.member.user_id);
  f.record_at(f.clock->now(), reading("a", 1, 1));
  const CleanupReport none = f.core->maintenance().cleanup();
  CHECK(none.sessions_deleted == 0);
  CHECK(none.reset_tokens_deleted == 0);
  CHECK(none.stats.samples_folded == 0);

  // Past every lifetime (refresh 7 days by default), the grace day, and the
  // raw retention.
  f.clock->advance_ms(40 * kDay);
  const CleanupReport report = f.core->maintenance().cleanup();
  CHECK(report.sessions_deleted >= 1);
  CHECK(report.reset_tokens_deleted == 1);
  CHECK(report.stats.samples_folded == 1);
  const CleanupReport second = f.core->maintenance().cleanup();
  CHECK(second.sessions_deleted == 0);
  CHECK(second.reset_tokens_deleted == 0);
  CHECK(second.stats.samples_folded == 0);
  CHECK(second.stats.buckets_written == 0);
  CHECK(second.events_pruned == 0);
}

TEST_CASE("Core schedules the sampler and cleanup only when asked") {
  TestStores stores;
  const auto jobs_of = [&](std::int64_t sample_ms, std::int64_t cleanup_ms) {
    auto scheduler = std::make_shared<ManualScheduler>();
    Options options;
    options.store = stores.open();
    options.scheduler = scheduler;
    options.event_retention.prune_interval_ms = 0;
    options.stats.sample_interval_ms = sample_ms;
    options.stats.cleanup_interval_ms = cleanup_ms;
    Core core(std::move(options));
    return scheduler->size();
  };
  const std::size_t base = jobs_of(0, 0);
  CHECK(jobs_of(60000, 0) == base + 1);
  CHECK(jobs_of(60000, 3600000) == base + 2);
}

}  // namespace taskcore::testing

#include "taskcore/stats_service.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "core/service_context.h"
#include "taskcore/permissions.h"

namespace taskcore {
namespace {

// A load average past this is a misread file, not a machine.
constexpr double kMaxLoadAverage = 1e6;

Timestamp floor_to(Timestamp t, std::int64_t unit) {
  const Timestamp r = t % unit;
  return r < 0 ? t - r - unit : t - r;
}

std::int64_t interval_ms(StatsInterval interval) {
  return interval == StatsInterval::kDay ? kMsPerDay : kMsPerHour;
}

// Drops what no machine can measure, saying what it dropped.
void drop_out_of_range(SystemSample& s, std::vector<std::string>& problems) {
  const auto check_percent = [&](std::optional<double>& value, const char* name) {
    if (value && !(std::isfinite(*value) && *value >= 0 && *value <= 100)) {
      problems.push_back(std::string(name) + " out of range (" + std::to_string(*value) + ")");
      value.reset();
    }
  };
  const auto check_bytes = [&](std::optional<std::int64_t>& used,
                               std::optional<std::int64_t>& total, std::optional<double>& percent,
                               const char* name) {
    if (total && *total <= 0) {
      problems.push_back(std::string(name) + " total out of range");
      total.reset();
    }
    if (used && (*used < 0 || (total && *used > *total))) {
      problems.push_back(std::string(name) + " used out of range");
      used.reset();
      percent.reset();
    }
  };
  check_percent(s.cpu_percent, "cpu_percent");
  check_percent(s.memory_percent, "memory_percent");
  check_percent(s.disk_percent, "disk_percent");
  check_bytes(s.memory_used_bytes, s.memory_total_bytes, s.memory_percent, "memory");
  check_bytes(s.disk_used_bytes, s.disk_total_bytes, s.disk_percent, "disk");
  if (s.load_avg_1 &&
      !(std::isfinite(*s.load_avg_1) && *s.load_avg_1 >= 0 && *s.load_avg_1 <= kMaxLoadAverage)) {
    problems.push_back("load_avg_1 out of range");
    s.load_avg_1.reset();
  }
}

using BucketKey = std::pair<Timestamp, std::string>;

constexpr int kMaxRetentionRaces = 10;

// Thrown inside a retention transaction to roll it back.
struct RetentionRace {};

// Folds the raw samples of the oldest UTC day before `cutoff` into the
// stored hourly aggregates and deletes them; returns {samples deleted,
// aggregates written}, {0, 0} when nothing is due.
//
// Several servers on one PostgreSQL database may run this at once, and
// writes there are READ COMMITTED. So the delete comes before the upserts,
// and it must delete every sample that was folded. If another server
// deleted some first, this transaction rolls back (RetentionRace), so no
// sample is ever counted twice.
std::pair<std::int64_t, std::int64_t> fold_one_day(Transaction& tx, Timestamp cutoff) {
  SystemStatsStore& stats = tx.system_stats();
  const auto oldest = stats.oldest_sample();
  if (!oldest || *oldest >= cutoff) return {0, 0};
  const Timestamp batch_end = std::min(cutoff, floor_to(*oldest, kMsPerDay) + kMsPerDay);
  StatsFilter range;
  range.start = *oldest;
  range.end = batch_end - 1;
  std::map<BucketKey, HourlyAggregate> merged;
  std::int64_t folded = 0;
  for (HourlyAggregate& hour : stats.fold_samples(range)) {
    folded += hour.samples;
    merged.emplace(BucketKey{hour.bucket_start, hour.hostname}, std::move(hour));
  }
  StatsFilter hours = range;
  hours.start = floor_to(*oldest, kMsPerHour);
  for (const HourlyAggregate& stored : stats.query_aggregates(hours)) {
    auto it = merged.find(BucketKey{stored.bucket_start, stored.hostname});
    if (it != merged.end()) it->second.merge(stored);
  }
  const std::int64_t deleted = stats.delete_samples(*oldest, batch_end);
  if (deleted != folded) throw RetentionRace{};
  std::vector<HourlyAggregate> rows;
  rows.reserve(merged.size());
  for (auto& [key, hour] : merged) rows.push_back(std::move(hour));
  stats.upsert_aggregates(rows);
  return {deleted, static_cast<std::int64_t>(rows.size())};
}

}  // namespace

StatsService::StatsService(ServiceContext& context, StatsOptions options)
    : ctx_(context), options_(std::move(options)) {
  if (!options_.probe)
    options_.probe = std::make_shared<ProcSystemProbe>(ProcProbeOptions{"/proc", options_.data_dir});
}

StatsService::~StatsService() = default;

SystemSample StatsService::record_sample() {
  ProbeReading reading;
  {
    std::lock_guard lock(probe_mutex_);
    reading = options_.probe->read();
  }
  SystemSample sample = std::move(reading.sample);
  for (const std::string& failure : reading.failures)
    ctx_.logger->log(LogLevel::kWarning, "stats probe failed: " + failure);
  std::vector<std::string> dropped;
  drop_out_of_range(sample, dropped);
  for (const std::string& problem : dropped)
    ctx_.logger->log(LogLevel::kWarning, "stats sample: " + problem + ", not stored");
  sample.timestamp = ctx_.clock->now();
  sample.id = ctx_.store->write(
      [&](Transaction& tx) { return tx.system_stats().insert_sample(sample); });
  return sample;
}

Page<SystemSample> StatsService::list(const Principal& actor, const StatsFilter& filter,
                                      const PageRequest& page) {
  if (!can_administer(actor)) throw Error::permission_denied();
  Page<SystemSample> result = ctx_.store->read(
      [&](Transaction& tx) { return tx.system_stats().query_samples(filter, page); });
  check_page_in_range(page, result.count);
  return result;
}

SystemSample StatsService::latest(const Principal& actor,
                                  const std::optional<std::string>& hostname) {
  if (!can_administer(actor)) throw Error::permission_denied();
  auto sample = ctx_.store->read(
      [&](Transaction& tx) { return tx.system_stats().latest_sample(hostname); });
  if (!sample) throw Error::not_found("No system stats have been recorded yet.");
  return std::move(*sample);
}

StatsAggregateResult StatsService::aggregated(const Principal& actor,
                                              const StatsAggregateQuery& query) {
  if (!can_administer(actor)) throw Error::permission_denied();
  const std::int64_t unit = interval_ms(query.interval);
  StatsAggregateResult result;
  result.interval = query.interval;
  result.end = query.filter.end.value_or(ctx_.clock->now());
  const std::int64_t default_span = query.interval == StatsInterval::kDay ? 30 * kMsPerDay
                                                                          : kMsPerDay;
  result.start = query.filter.start.value_or(result.end - default_span + 1);
  if (result.start > result.end) return result;  // a start after now: nothing yet

  StatsFilter raw = query.filter;
  raw.start = result.start;
  raw.end = result.end;
  // Stored hours count whole: the one holding `start` is included.
  StatsFilter stored = raw;
  stored.start = floor_to(result.start, kMsPerHour);
  auto [folded, hours] = ctx_.store->read([&](Transaction& tx) {
    return std::make_pair(tx.system_stats().fold_samples(raw),
                          tx.system_stats().query_aggregates(stored));
  });

  std::map<Timestamp, StatsBucket> buckets;
  const auto add = [&](const HourlyAggregate& hour) {
    const Timestamp start = floor_to(hour.bucket_start, unit);
    StatsBucket& bucket = buckets[start];
    bucket.bucket_start = start;
    bucket.samples += hour.samples;
    for (std::size_t i = 0; i < kStatsFieldCount; ++i) bucket.fields[i].merge(hour.fields[i]);
  };
  for (const HourlyAggregate& hour : folded) add(hour);
  for (const HourlyAggregate& hour : hours) add(hour);
  result.buckets.reserve(buckets.size());
  for (auto& [start, bucket] : buckets) result.buckets.push_back(std::move(bucket));
  return result;
}

RetentionReport StatsService::apply_retention(const RetentionProgress& progress) {
  RetentionReport report;
  const Timestamp now = ctx_.clock->now();
  // Whole hours only, so a second run within the hour finds nothing to do
  // and no hour is folded in two parts.
  const Timestamp cutoff = floor_to(now - options_.raw_retention_days * kMsPerDay, kMsPerHour);
  const std::int64_t due = ctx_.store->read(
      [&](Transaction& tx) { return tx.system_stats().count_samples_before(cutoff); });
  int races = 0;
  for (;;) {
    // One UTC day per transaction: a long backlog neither holds the write
    // lock for long nor builds one huge transaction; each sample is still
    // folded and deleted together.
    std::pair<std::int64_t, std::int64_t> batch;
    try {
      batch = ctx_.store->write([&](Transaction& tx) { return fold_one_day(tx, cutoff); });
    } catch (const RetentionRace&) {
      // Another server folded some of these samples first; its commit is
      // visible now, so look again (a handful of rounds at most).
      if (++races > kMaxRetentionRaces) break;
      continue;
    }
    if (batch.first == 0) break;
    report.samples_folded += batch.first;
    report.buckets_written += batch.second;
    if (progress) progress(report.samples_folded, due);
  }
  const Timestamp aggregate_cutoff =
      floor_to(now - options_.aggregate_retention_days * kMsPerDay, kMsPerHour);
  report.aggregates_deleted = ctx_.store->write([&](Transaction& tx) {
    return tx.system_stats().delete_aggregates_before(aggregate_cutoff);
  });
  return report;
}

}  // namespace taskcore

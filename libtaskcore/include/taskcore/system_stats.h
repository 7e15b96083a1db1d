#pragma once

// System stats: what the sampler stores every interval (one SystemSample per
// server and interval), the filters of the stats routes and the hourly /
// daily buckets they aggregate into.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/query_params.h"
#include "taskcore/time.h"

namespace taskcore {

// One reading of the machine. A measurement whose probe failed, or whose
// value was out of range, is nullopt.
struct SystemSample {
  std::int64_t id = 0;
  Timestamp timestamp = 0;
  std::string hostname;
  std::optional<double> cpu_percent;     // 0-100, busy share since the last reading
  std::optional<double> memory_percent;  // 0-100, (total - available) / total
  std::optional<std::int64_t> memory_used_bytes;
  std::optional<std::int64_t> memory_total_bytes;
  std::optional<double> disk_percent;  // 0-100, of the data directory's file system
  std::optional<std::int64_t> disk_used_bytes;
  std::optional<std::int64_t> disk_total_bytes;
  std::optional<double> load_avg_1;  // >= 0
};

// The measurements, in the order of the sample's fields (and of the
// aggregate columns).
enum class StatsField {
  kCpuPercent,
  kMemoryPercent,
  kMemoryUsedBytes,
  kMemoryTotalBytes,
  kDiskPercent,
  kDiskUsedBytes,
  kDiskTotalBytes,
  kLoadAvg1,
};
inline constexpr std::size_t kStatsFieldCount = 8;
inline constexpr std::array<StatsField, kStatsFieldCount> kStatsFields = {
    StatsField::kCpuPercent,    StatsField::kMemoryPercent,   StatsField::kMemoryUsedBytes,
    StatsField::kMemoryTotalBytes, StatsField::kDiskPercent,  StatsField::kDiskUsedBytes,
    StatsField::kDiskTotalBytes,   StatsField::kLoadAvg1};

// "cpu_percent", ... as the API and the database columns name them.
TASKCORE_EXPORT std::string_view stats_field_name(StatsField field);
// True for the byte counts (integers); false for percentages and the load.
TASKCORE_EXPORT bool stats_field_is_integer(StatsField field);
TASKCORE_EXPORT std::optional<double> stats_field_value(const SystemSample& sample,
                                                        StatsField field);
// Sets one measurement (a byte count is rounded to a whole number).
TASKCORE_EXPORT void set_stats_field_value(SystemSample& sample, StatsField field,
                                           std::optional<double> value);

// Samples (or buckets) by time and server.
struct StatsFilter {
  std::optional<Timestamp> start;  // inclusive
  std::optional<Timestamp> end;    // inclusive
  std::optional<std::string> hostname;
};

// Reads start and end (each a date, inclusive as whole UTC days, or an
// ISO-8601 UTC timestamp) and hostname. Throws validation_error naming each
// bad parameter.
TASKCORE_EXPORT StatsFilter parse_stats_filter(const QueryParams& params);

enum class StatsInterval { kHour, kDay };
TASKCORE_EXPORT std::string_view stats_interval_name(StatsInterval interval);
inline constexpr std::int64_t kMsPerHour = 3600 * 1000;
inline constexpr std::int64_t kMsPerDay = 24 * kMsPerHour;

// One measurement over a bucket: `count` non-null values of `samples`.
struct FieldAggregate {
  std::int64_t count = 0;
  double sum = 0;
  std::optional<double> min;
  std::optional<double> max;

  std::optional<double> average() const {
    if (count == 0) return std::nullopt;
    return sum / static_cast<double>(count);
  }
  // Adds one value (nullopt: a sample without this measurement).
  void add(std::optional<double> value);
  // Adds another aggregate of the same measurement.
  void merge(const FieldAggregate& other);
};

// Samples of one server folded per hour: what retention keeps once the raw
// samples are gone, and what the aggregated route reads.
struct HourlyAggregate {
  std::string hostname;
  Timestamp bucket_start = 0;  // a whole UTC hour
  std::int64_t samples = 0;
  std::array<FieldAggregate, kStatsFieldCount> fields;

  void add(const SystemSample& sample);
  void merge(const HourlyAggregate& other);
};

// One bucket of the aggregated route, over every server the filter keeps.
struct StatsBucket {
  Timestamp bucket_start = 0;
  std::int64_t samples = 0;
  std::array<FieldAggregate, kStatsFieldCount> fields;
};

// What the aggregated route asks for: the interval (default hour) and a
// range that defaults to the last day (hour) or the last 30 days (day).
struct StatsAggregateQuery {
  StatsInterval interval = StatsInterval::kHour;
  StatsFilter filter;
};

// Reads interval (hour|day) and the filter of parse_stats_filter. Throws
// validation_error.
TASKCORE_EXPORT StatsAggregateQuery parse_stats_aggregate_query(const QueryParams& params);

struct StatsAggregateResult {
  StatsInterval interval = StatsInterval::kHour;
  Timestamp start = 0;  // the range answered (defaults applied)
  Timestamp end = 0;
  std::vector<StatsBucket> buckets;  // oldest first; buckets without samples left out
};

}  // namespace taskcore

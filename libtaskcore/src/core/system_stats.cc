#include "taskcore/system_stats.h"

#include <algorithm>
#include <cmath>

#include "core/filter_params.h"
#include "taskcore/error.h"

namespace taskcore {
namespace {

constexpr std::size_t kMaxHostnameLength = 255;

std::size_t index_of(StatsField field) { return static_cast<std::size_t>(field); }

}  // namespace

std::string_view stats_field_name(StatsField field) {
  switch (field) {
    case StatsField::kCpuPercent: return "cpu_percent";
    case StatsField::kMemoryPercent: return "memory_percent";
    case StatsField::kMemoryUsedBytes: return "memory_used_bytes";
    case StatsField::kMemoryTotalBytes: return "memory_total_bytes";
    case StatsField::kDiskPercent: return "disk_percent";
    case StatsField::kDiskUsedBytes: return "disk_used_bytes";
    case StatsField::kDiskTotalBytes: return "disk_total_bytes";
    case StatsField::kLoadAvg1: return "load_avg_1";
  }
  return "";
}

bool stats_field_is_integer(StatsField field) {
  switch (field) {
    case StatsField::kMemoryUsedBytes:
    case StatsField::kMemoryTotalBytes:
    case StatsField::kDiskUsedBytes:
    case StatsField::kDiskTotalBytes:
      return true;
    default:
      return false;
  }
}

std::optional<double> stats_field_value(const SystemSample& s, StatsField field) {
  const auto as_double = [](const std::optional<std::int64_t>& v) -> std::optional<double> {
    if (!v) return std::nullopt;
    return static_cast<double>(*v);
  };
  switch (field) {
    case StatsField::kCpuPercent: return s.cpu_percent;
    case StatsField::kMemoryPercent: return s.memory_percent;
    case StatsField::kMemoryUsedBytes: return as_double(s.memory_used_bytes);
    case StatsField::kMemoryTotalBytes: return as_double(s.memory_total_bytes);
    case StatsField::kDiskPercent: return s.disk_percent;
    case StatsField::kDiskUsedBytes: return as_double(s.disk_used_bytes);
    case StatsField::kDiskTotalBytes: return as_double(s.disk_total_bytes);
    case StatsField::kLoadAvg1: return s.load_avg_1;
  }
  return std::nullopt;
}

void set_stats_field_value(SystemSample& s, StatsField field, std::optional<double> value) {
  const auto bytes = [&]() -> std::optional<std::int64_t> {
    if (!value) return std::nullopt;
    return std::llround(*value);
  };
  switch (field) {
    case StatsField::kCpuPercent: s.cpu_percent = value; break;
    case StatsField::kMemoryPercent: s.memory_percent = value; break;
    case StatsField::kMemoryUsedBytes: s.memory_used_bytes = bytes(); break;
    case StatsField::kMemoryTotalBytes: s.memory_total_bytes = bytes(); break;
    case StatsField::kDiskPercent: s.disk_percent = value; break;
    case StatsField::kDiskUsedBytes: s.disk_used_bytes = bytes(); break;
    case StatsField::kDiskTotalBytes: s.disk_total_bytes = bytes(); break;
    case StatsField::kLoadAvg1: s.load_avg_1 = value; break;
  }
}

void FieldAggregate::add(std::optional<double> value) {
  if (!value) return;
  ++count;
  sum += *value;
  min = min ? std::min(*min, *value) : *value;
  max = max ? std::max(*max, *value) : *value;
}

void FieldAggregate::merge(const FieldAggregate& other) {
  if (other.count == 0) return;
  count += other.count;
  sum += other.sum;
  min = min ? std::min(*min, *other.min) : other.min;
  max = max ? std::max(*max, *other.max) : other.max;
}

void HourlyAggregate::add(const SystemSample& sample) {
  ++samples;
  for (StatsField field : kStatsFields)
    fields[index_of(field)].add(stats_field_value(sample, field));
}

void HourlyAggregate::merge(const HourlyAggregate& other) {
  samples += other.samples;
  for (std::size_t i = 0; i < kStatsFieldCount; ++i) fields[i].merge(other.fields[i]);
}

std::string_view stats_interval_name(StatsInterval interval) {
  return interval == StatsInterval::kDay ? "day" : "hour";
}

namespace {

void read_filter(const QueryParams& params, StatsFilter& filter, FieldErrorCollector& errors) {
  filter.start = read_instant(params, "start", false, errors);
  filter.end = read_instant(params, "end", true, errors);
  if (filter.start && filter.end && *filter.start > *filter.end) {
    errors.add("start", "start must not be after end.");
    errors.add("end", "start must not be after end.");
  }
  if (const std::string* raw = params.last("hostname")) {
    const std::string_view text = util::trim(*raw);
    if (!util::is_valid_utf8(text) || text.size() > kMaxHostnameLength)
      errors.add("hostname", "Enter a valid host name.");
    else if (!text.empty())
      filter.hostname = std::string(text);
  }
}

}  // namespace

StatsFilter parse_stats_filter(const QueryParams& params) {
  FieldErrorCollector errors;
  StatsFilter filter;
  read_filter(params, filter, errors);
  errors.throw_if_any("Invalid filter.");
  return filter;
}

StatsAggregateQuery parse_stats_aggregate_query(const QueryParams& params) {
  FieldErrorCollector errors;
  StatsAggregateQuery query;
  if (const std::string* raw = params.last("interval")) {
    const std::string_view text = util::trim(*raw);
    if (text == "day") {
      query.interval = StatsInterval::kDay;
    } else if (text == "hour" || text.empty()) {
      query.interval = StatsInterval::kHour;
    } else {
      const std::string shown =
          util::is_valid_utf8(text) ? std::string(text) : std::string("(invalid text)");
      errors.add("interval", "Select a valid choice. " + shown +
                                 " is not one of the available choices.");
    }
  }
  read_filter(params, query.filter, errors);
  errors.throw_if_any("Invalid filter.");
  return query;
}

}  // namespace taskcore

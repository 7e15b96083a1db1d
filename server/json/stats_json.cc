#include "json/stats_json.h"

#include <cmath>

namespace taskcore::server {
namespace {

// Byte counts stay integers; an average of them is rounded to a whole byte.
Json measurement(StatsField field, const std::optional<double>& value) {
  if (!value) return nullptr;
  if (stats_field_is_integer(field)) return static_cast<std::int64_t>(std::llround(*value));
  return *value;
}

}  // namespace

Json sample_json(const SystemSample& sample) {
  Json out = {{"id", sample.id},
              {"timestamp", format_timestamp(sample.timestamp)},
              {"hostname", sample.hostname}};
  for (StatsField field : kStatsFields)
    out[std::string(stats_field_name(field))] =
        measurement(field, stats_field_value(sample, field));
  return out;
}

void write_sample(JsonWriter& out, const SystemSample& sample) {
  out.raw(dump_json(sample_json(sample)));
}

Json bucket_json(const StatsBucket& bucket) {
  Json out = {{"bucket_start", format_timestamp(bucket.bucket_start)},
              {"samples", bucket.samples}};
  for (StatsField field : kStatsFields) {
    const FieldAggregate& aggregate = bucket.fields[static_cast<std::size_t>(field)];
    const std::string name(stats_field_name(field));
    // An average keeps its fraction even for byte counts.
    const auto average = aggregate.average();
    out[name + "_avg"] = average ? Json(*average) : Json(nullptr);
    out[name + "_min"] = measurement(field, aggregate.min);
    out[name + "_max"] = measurement(field, aggregate.max);
  }
  return out;
}

Json aggregate_json(const StatsAggregateResult& result) {
  Json buckets = Json::array();
  for (const StatsBucket& bucket : result.buckets) buckets.push_back(bucket_json(bucket));
  return {{"interval", std::string(stats_interval_name(result.interval))},
          {"start", format_timestamp(result.start)},
          {"end", format_timestamp(result.end)},
          {"count", result.buckets.size()},
          {"buckets", std::move(buckets)}};
}

Json stats_filters_applied(const StatsFilter& filter) {
  Json applied = Json::object();
  if (filter.start || filter.end) {
    const auto instant = [](const std::optional<Timestamp>& t) {
      return t ? Json(format_timestamp(*t)) : Json(nullptr);
    };
    applied["date_range"] = {{"start", instant(filter.start)}, {"end", instant(filter.end)}};
  }
  if (filter.hostname) applied["hostname"] = *filter.hostname;
  return applied;
}

}  // namespace taskcore::server

#pragma once

#include "json/body.h"
#include "json/writer.h"
#include "taskcore/system_stats.h"

namespace taskcore::server {

// {id, timestamp, hostname, cpu_percent, ...}: a measurement the sample
// lacks is null.
Json sample_json(const SystemSample& sample);
void write_sample(JsonWriter& out, const SystemSample& sample);
// {bucket_start, samples, <field>_avg, <field>_min, <field>_max, ...}.
Json bucket_json(const StatsBucket& bucket);
// {interval, start, end, buckets: [...]}.
Json aggregate_json(const StatsAggregateResult& result);
Json stats_filters_applied(const StatsFilter& filter);

}  // namespace taskcore::server

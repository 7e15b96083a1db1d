#pragma once

#include <string>

#include "storage/sql/dialect.h"
#include "taskcore/pagination.h"
#include "taskcore/system_stats.h"

namespace taskcore::sql {

// System samples as SQL over `system_samples` and `system_stats_hourly`
// (migrations of both backends). Column order, which the backends' row
// readers follow:
//   samples:    id, timestamp, hostname, then kStatsFields in order;
//   aggregates: hostname, bucket_start, samples, then per field
//               <f>_count, <f>_sum, <f>_min, <f>_max.
// fold_samples_sql() returns rows in the aggregate order.
inline constexpr int kSampleFirstField = 3;
inline constexpr int kAggregateFirstField = 3;
inline constexpr int kAggregateColumnsPerField = 4;

std::string sample_columns();
std::string aggregate_columns();

// Newest first: timestamp, then id, descending.
PagedSelect build_samples_select(const StatsFilter& filter, Dialect dialect,
                                 const PageRequest& page);
// The newest sample (of `hostname`); binds the hostname when given.
std::string latest_sample_sql(bool by_hostname, Dialect dialect);
// The filtered samples grouped per UTC hour and hostname.
std::string fold_samples_sql(const StatsFilter& filter, Params& params);
// Stored aggregates by bucket_start range and hostname.
std::string aggregates_sql(const StatsFilter& filter, Params& params);
// An INSERT ... ON CONFLICT DO UPDATE of one aggregate row (both backends
// speak this form), binding the aggregate columns in order.
std::string upsert_aggregate_sql(Dialect dialect);
std::string insert_sample_sql(Dialect dialect);

}  // namespace taskcore::sql

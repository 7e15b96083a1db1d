#include "storage/sql/stats_query.h"

namespace taskcore::sql {
namespace {

void add_range(std::string& where, Params& params, const StatsFilter& filter,
               std::string_view time_column) {
  if (filter.start) {
    add_condition(where, std::string(time_column) + " >= ");
    params.add(where, *filter.start);
  }
  if (filter.end) {
    add_condition(where, std::string(time_column) + " <= ");
    params.add(where, *filter.end);
  }
  if (filter.hostname) {
    add_condition(where, "hostname = ");
    params.add(where, *filter.hostname);
  }
}

std::string placeholders(Dialect dialect, int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) {
    if (i > 1) out += ", ";
    out += dialect == Dialect::kSqlite ? "?" : "$" + std::to_string(i);
  }
  return out;
}

}  // namespace

std::string sample_columns() {
  std::string out = "id, timestamp, hostname";
  for (StatsField field : kStatsFields) out += ", " + std::string(stats_field_name(field));
  return out;
}

std::string aggregate_columns() {
  std::string out = "hostname, bucket_start, samples";
  for (StatsField field : kStatsFields) {
    const std::string name(stats_field_name(field));
    out += ", " + name + "_count, " + name + "_sum, " + name + "_min, " + name + "_max";
  }
  return out;
}

PagedSelect build_samples_select(const StatsFilter& filter, Dialect dialect,
                                 const PageRequest& page) {
  PagedSelect result;
  Params params(dialect);
  std::string where;
  add_range(where, params, filter, "timestamp");
  result.filter_param_count = params.values().size();
  result.count_sql = "SELECT COUNT(*) FROM system_samples" + where;
  result.page_sql = "SELECT " + sample_columns() + " FROM system_samples" + where +
                    " ORDER BY timestamp DESC, id DESC";
  append_limit_offset(result.page_sql, params, page);
  result.params = params.take();
  return result;
}

std::string latest_sample_sql(bool by_hostname, Dialect dialect) {
  std::string sql = "SELECT " + sample_columns() + " FROM system_samples";
  if (by_hostname) sql += " WHERE hostname = " + placeholders(dialect, 1);
  return sql + " ORDER BY timestamp DESC, id DESC LIMIT 1";
}

std::string fold_samples_sql(const StatsFilter& filter, Params& params) {
  std::string where;
  add_range(where, params, filter, "timestamp");
  std::string sql = "SELECT hostname, timestamp - (timestamp % " + std::to_string(kMsPerHour) +
                    ") AS bucket, COUNT(*)";
  for (StatsField field : kStatsFields) {
    const std::string name(stats_field_name(field));
    sql += ", COUNT(" + name + "), COALESCE(SUM(" + name + "), 0), MIN(" + name + "), MAX(" +
           name + ")";
  }
  return sql + " FROM system_samples" + where +
         " GROUP BY bucket, hostname ORDER BY bucket, hostname";
}

std::string aggregates_sql(const StatsFilter& filter, Params& params) {
  std::string where;
  add_range(where, params, filter, "bucket_start");
  return "SELECT " + aggregate_columns() + " FROM system_stats_hourly" + where +
         " ORDER BY bucket_start, hostname";
}

std::string upsert_aggregate_sql(Dialect dialect) {
  const int columns = kAggregateFirstField +
                      static_cast<int>(kStatsFieldCount) * kAggregateColumnsPerField;
  std::string sql = "INSERT INTO system_stats_hourly (" + aggregate_columns() + ") VALUES (" +
                    placeholders(dialect, columns) +
                    ") ON CONFLICT (bucket_start, hostname) DO UPDATE SET samples = "
                    "excluded.samples";
  for (StatsField field : kStatsFields) {
    const std::string name(stats_field_name(field));
    for (const char* part : {"_count", "_sum", "_min", "_max"})
      sql += ", " + name + part + " = excluded." + name + part;
  }
  return sql;
}

std::string insert_sample_sql(Dialect dialect) {
  std::string columns = "timestamp, hostname";
  for (StatsField field : kStatsFields) columns += ", " + std::string(stats_field_name(field));
  return "INSERT INTO system_samples (" + columns + ") VALUES (" +
         placeholders(dialect, 2 + static_cast<int>(kStatsFieldCount)) + ")";
}

}  // namespace taskcore::sql

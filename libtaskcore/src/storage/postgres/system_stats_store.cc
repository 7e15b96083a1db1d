#include "storage/postgres/transaction.h"
#include "storage/sql/stats_query.h"

namespace taskcore::postgres {
namespace {

using sql::kAggregateColumnsPerField;
using sql::kAggregateFirstField;
using sql::kSampleFirstField;

SystemSample read_sample(const Result& r, int row) {
  SystemSample s;
  s.id = r.int64(row, 0);
  s.timestamp = r.int64(row, 1);
  s.hostname = r.text(row, 2);
  for (std::size_t i = 0; i < kStatsFieldCount; ++i)
    set_stats_field_value(s, kStatsFields[i],
                          r.optional_double(row, kSampleFirstField + static_cast<int>(i)));
  return s;
}

std::vector<HourlyAggregate> read_aggregates(TxContext& tx, const std::string& text,
                                             const sql::Params& filter_params) {
  Params params;
  for (const sql::SqlValue& value : filter_params.values()) params.add(value);
  const Result r = tx.conn.query(text, params);
  std::vector<HourlyAggregate> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    HourlyAggregate a;
    a.hostname = r.text(row, 0);
    a.bucket_start = r.int64(row, 1);
    a.samples = r.int64(row, 2);
    for (std::size_t f = 0; f < kStatsFieldCount; ++f) {
      const int c = kAggregateFirstField + static_cast<int>(f) * kAggregateColumnsPerField;
      a.fields[f].count = r.int64(row, c);
      a.fields[f].sum = r.optional_double(row, c + 1).value_or(0);
      a.fields[f].min = r.optional_double(row, c + 2);
      a.fields[f].max = r.optional_double(row, c + 3);
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::int64_t PgSystemStatsStore::insert_sample(const SystemSample& sample) {
  tx_.require_writable();
  Params params;
  params.add(sample.timestamp).add(std::string_view(sample.hostname));
  for (StatsField field : kStatsFields) {
    const auto value = stats_field_value(sample, field);
    if (stats_field_is_integer(field)) {
      params.add(value ? std::optional<std::int64_t>(static_cast<std::int64_t>(*value))
                       : std::nullopt);
    } else {
      params.add(value);
    }
  }
  const Result r =
      tx_.conn.query(sql::insert_sample_sql(sql::Dialect::kPostgres) + " RETURNING id", params);
  return r.int64(0, 0);
}

Page<SystemSample> PgSystemStatsStore::query_samples(const StatsFilter& filter,
                                                     const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_samples_select(filter, sql::Dialect::kPostgres, page);
  return paged_query<SystemSample>(tx_, select, page, read_sample, false);
}

std::optional<SystemSample> PgSystemStatsStore::latest_sample(
    const std::optional<std::string>& hostname) {
  Params params;
  if (hostname) params.add(std::string_view(*hostname));
  const Result r = tx_.conn.query(
      sql::latest_sample_sql(hostname.has_value(), sql::Dialect::kPostgres), params);
  if (r.empty()) return std::nullopt;
  return read_sample(r, 0);
}

std::vector<HourlyAggregate> PgSystemStatsStore::fold_samples(const StatsFilter& filter) {
  sql::Params params(sql::Dialect::kPostgres);
  const std::string text = sql::fold_samples_sql(filter, params);
  return read_aggregates(tx_, text, params);
}

std::int64_t PgSystemStatsStore::count_samples_before(Timestamp before) {
  return tx_.conn
      .query("SELECT COUNT(*) FROM system_samples WHERE timestamp < $1", Params().add(before))
      .int64(0, 0);
}

std::optional<Timestamp> PgSystemStatsStore::oldest_sample() {
  return tx_.conn.query("SELECT MIN(timestamp) FROM system_samples", Params())
      .optional_int64(0, 0);
}

std::int64_t PgSystemStatsStore::delete_samples(Timestamp from, Timestamp to) {
  tx_.require_writable();
  return tx_.conn
      .query("DELETE FROM system_samples WHERE timestamp >= $1 AND timestamp < $2",
             Params().add(from).add(to))
      .affected();
}

std::vector<HourlyAggregate> PgSystemStatsStore::query_aggregates(const StatsFilter& filter) {
  sql::Params params(sql::Dialect::kPostgres);
  const std::string text = sql::aggregates_sql(filter, params);
  return read_aggregates(tx_, text, params);
}

void PgSystemStatsStore::upsert_aggregates(std::span<const HourlyAggregate> aggregates) {
  tx_.require_writable();
  const std::string text = sql::upsert_aggregate_sql(sql::Dialect::kPostgres);
  for (const HourlyAggregate& a : aggregates) {
    Params params;
    params.add(std::string_view(a.hostname)).add(a.bucket_start).add(a.samples);
    for (const FieldAggregate& f : a.fields)
      params.add(f.count).add(std::optional<double>(f.sum)).add(f.min).add(f.max);
    tx_.conn.query(text, params);
  }
}

std::int64_t PgSystemStatsStore::delete_aggregates_before(Timestamp before) {
  tx_.require_writable();
  return tx_.conn
      .query("DELETE FROM system_stats_hourly WHERE bucket_start < $1", Params().add(before))
      .affected();
}

}  // namespace taskcore::postgres

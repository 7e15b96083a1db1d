#include "storage/sql/stats_query.h"
#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {
namespace {

using sql::kAggregateColumnsPerField;
using sql::kAggregateFirstField;
using sql::kSampleFirstField;

SystemSample read_sample(const Statement& st) {
  SystemSample s;
  s.id = st.int64(0);
  s.timestamp = st.int64(1);
  s.hostname = st.text(2);
  for (std::size_t i = 0; i < kStatsFieldCount; ++i)
    set_stats_field_value(s, kStatsFields[i],
                          st.optional_double(kSampleFirstField + static_cast<int>(i)));
  return s;
}

HourlyAggregate read_aggregate(const Statement& st) {
  HourlyAggregate a;
  a.hostname = st.text(0);
  a.bucket_start = st.int64(1);
  a.samples = st.int64(2);
  for (std::size_t f = 0; f < kStatsFieldCount; ++f) {
    const int c = kAggregateFirstField + static_cast<int>(f) * kAggregateColumnsPerField;
    a.fields[f].count = st.int64(c);
    a.fields[f].sum = st.optional_double(c + 1).value_or(0);
    a.fields[f].min = st.optional_double(c + 2);
    a.fields[f].max = st.optional_double(c + 3);
  }
  return a;
}

std::vector<HourlyAggregate> read_aggregates(TxContext& tx, const std::string& sql,
                                             const sql::Params& params) {
  Statement st = tx.conn.prepare(sql);
  st.bind_all(params.values(), params.values().size());
  std::vector<HourlyAggregate> out;
  while (st.step()) out.push_back(read_aggregate(st));
  return out;
}

}  // namespace

std::int64_t SqliteSystemStatsStore::insert_sample(const SystemSample& sample) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(sql::insert_sample_sql(sql::Dialect::kSqlite));
  st.bind(1, sample.timestamp);
  st.bind(2, std::string_view(sample.hostname));
  int index = 3;
  for (StatsField field : kStatsFields) {
    if (stats_field_is_integer(field)) {
      const auto value = stats_field_value(sample, field);
      st.bind(index++, value ? std::optional<std::int64_t>(static_cast<std::int64_t>(*value))
                             : std::nullopt);
    } else {
      st.bind(index++, stats_field_value(sample, field));
    }
  }
  st.run();
  return sqlite3_last_insert_rowid(tx_.conn.handle());
}

Page<SystemSample> SqliteSystemStatsStore::query_samples(const StatsFilter& filter,
                                                         const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_samples_select(filter, sql::Dialect::kSqlite, page);
  return paged_query<SystemSample>(tx_, select, page, read_sample, false);
}

std::optional<SystemSample> SqliteSystemStatsStore::latest_sample(
    const std::optional<std::string>& hostname) {
  Statement st = tx_.conn.prepare(
      sql::latest_sample_sql(hostname.has_value(), sql::Dialect::kSqlite));
  if (hostname) st.bind(1, std::string_view(*hostname));
  if (!st.step()) return std::nullopt;
  return read_sample(st);
}

std::vector<HourlyAggregate> SqliteSystemStatsStore::fold_samples(const StatsFilter& filter) {
  sql::Params params(sql::Dialect::kSqlite);
  const std::string text = sql::fold_samples_sql(filter, params);
  return read_aggregates(tx_, text, params);
}

std::int64_t SqliteSystemStatsStore::count_samples_before(Timestamp before) {
  Statement st = tx_.conn.prepare("SELECT COUNT(*) FROM system_samples WHERE timestamp < ?");
  st.bind(1, before);
  return st.step() ? st.int64(0) : 0;
}

std::optional<Timestamp> SqliteSystemStatsStore::oldest_sample() {
  Statement st = tx_.conn.prepare("SELECT MIN(timestamp) FROM system_samples");
  return st.step() ? st.optional_int64(0) : std::nullopt;
}

std::int64_t SqliteSystemStatsStore::delete_samples(Timestamp from, Timestamp to) {
  tx_.require_writable();
  Statement st =
      tx_.conn.prepare("DELETE FROM system_samples WHERE timestamp >= ? AND timestamp < ?");
  st.bind(1, from);
  st.bind(2, to);
  st.run();
  return sqlite3_changes(tx_.conn.handle());
}

std::vector<HourlyAggregate> SqliteSystemStatsStore::query_aggregates(
    const StatsFilter& filter) {
  sql::Params params(sql::Dialect::kSqlite);
  const std::string text = sql::aggregates_sql(filter, params);
  return read_aggregates(tx_, text, params);
}

void SqliteSystemStatsStore::upsert_aggregates(std::span<const HourlyAggregate> aggregates) {
  tx_.require_writable();
  const std::string text = sql::upsert_aggregate_sql(sql::Dialect::kSqlite);
  for (const HourlyAggregate& a : aggregates) {
    Statement st = tx_.conn.prepare(text);
    st.bind(1, std::string_view(a.hostname));
    st.bind(2, a.bucket_start);
    st.bind(3, a.samples);
    int index = 4;
    for (const FieldAggregate& f : a.fields) {
      st.bind(index++, f.count);
      st.bind(index++, std::optional<double>(f.sum));
      st.bind(index++, f.min);
      st.bind(index++, f.max);
    }
    st.run();
  }
}

std::int64_t SqliteSystemStatsStore::delete_aggregates_before(Timestamp before) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare("DELETE FROM system_stats_hourly WHERE bucket_start < ?");
  st.bind(1, before);
  st.run();
  return sqlite3_changes(tx_.conn.handle());
}

}  // namespace taskcore::sqlite

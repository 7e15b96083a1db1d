// The system stats store on every backend: samples round-trip exactly
// (doubles, nulls, 64-bit byte counts), range and host filters, hourly
// folding, aggregate upserts and deletes, and a read snapshot refusing writes.

#include <doctest/doctest.h>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

SystemSample sample(Timestamp at, const std::string& host, std::optional<double> cpu) {
  SystemSample s;
  s.timestamp = at;
  s.hostname = host;
  s.cpu_percent = cpu;
  s.memory_percent = 12.345678901234567;
  s.memory_used_bytes = 123456789012345;  // past 32 bits, and past a float's precision
  s.memory_total_bytes = 987654321098765;
  s.disk_percent = std::nullopt;
  s.disk_used_bytes = std::nullopt;
  s.disk_total_bytes = 1;
  s.load_avg_1 = 0.1;
  return s;
}

std::int64_t insert(Store& store, const SystemSample& s) {
  return store.write([&](Transaction& tx) { return tx.system_stats().insert_sample(s); });
}

const FieldAggregate& field(const HourlyAggregate& a, StatsField f) {
  return a.fields[static_cast<std::size_t>(f)];
}

}  // namespace

TEST_CASE_TEMPLATE("system stats: samples round-trip and filter", Backend, TASKCORE_STORE_BACKENDS) {
  Backend backend;
  Store& store = *backend.store;
  const std::int64_t first = insert(store, sample(kT0, "a", 33.3));
  insert(store, sample(kT0 + 60000, "b", std::nullopt));
  insert(store, sample(kT0 + 120000, "a", 100.0));

  const Page<SystemSample> all = store.read(
      [](Transaction& tx) { return tx.system_stats().query_samples({}, {1, 20}); });
  REQUIRE(all.count == 3);
  CHECK(all.items[0].timestamp == kT0 + 120000);
  const SystemSample& oldest = all.items[2];
  CHECK(oldest.id == first);
  CHECK(oldest.hostname == "a");
  CHECK(oldest.cpu_percent == 33.3);
  CHECK(oldest.memory_percent == 12.345678901234567);
  CHECK(oldest.memory_used_bytes == 123456789012345);
  CHECK(oldest.memory_total_bytes == 987654321098765);
  CHECK_FALSE(oldest.disk_percent);
  CHECK_FALSE(oldest.disk_used_bytes);
  CHECK(oldest.disk_total_bytes == 1);
  CHECK(oldest.load_avg_1 == 0.1);
  CHECK_FALSE(all.items[1].cpu_percent);

  StatsFilter filter;
  filter.start = kT0 + 60000;
  filter.hostname = "a";
  const auto some = store.read(
      [&](Transaction& tx) { return tx.system_stats().query_samples(filter, {1, 20}); });
  REQUIRE(some.count == 1);
  CHECK(some.items[0].cpu_percent == 100.0);
  const auto latest_b =
      store.read([](Transaction& tx) { return tx.system_stats().latest_sample("b"); });
  REQUIRE(latest_b);
  CHECK(latest_b->timestamp == kT0 + 60000);
  CHECK(store.read([](Transaction& tx) { return tx.system_stats().oldest_sample(); }) == kT0);
  CHECK(store.read([](Transaction& tx) {
          return tx.system_stats().count_samples_before(kT0 + 120000);
        }) == 2);
  CHECK_THROWS(store.read([&](Transaction& tx) { tx.system_stats().insert_sample(oldest); }));
}

TEST_CASE_TEMPLATE("system stats: fold per hour and host, upsert, delete", Backend,
                   TASKCORE_STORE_BACKENDS) {
  Backend backend;
  Store& store = *backend.store;
  const Timestamp hour = kMsPerHour;
  insert(store, sample(kT0 + 10, "a", 10));
  insert(store, sample(kT0 + 20, "a", 30));
  insert(store, sample(kT0 + 30, "b", std::nullopt));
  insert(store, sample(kT0 + hour + 5, "a", 50));

  const auto folded =
      store.read([](Transaction& tx) { return tx.system_stats().fold_samples({}); });
  REQUIRE(folded.size() == 3);
  CHECK(folded[0].bucket_start == kT0);
  CHECK(folded[0].hostname == "a");
  CHECK(folded[0].samples == 2);
  CHECK(field(folded[0], StatsField::kCpuPercent).count == 2);
  CHECK(field(folded[0], StatsField::kCpuPercent).sum == 40.0);
  CHECK(field(folded[0], StatsField::kCpuPercent).min == 10.0);
  CHECK(field(folded[0], StatsField::kCpuPercent).max == 30.0);
  CHECK(field(folded[0], StatsField::kMemoryUsedBytes).sum == 2.0 * 123456789012345);
  CHECK(field(folded[0], StatsField::kDiskPercent).count == 0);
  CHECK_FALSE(field(folded[0], StatsField::kDiskPercent).min);
  CHECK(folded[1].hostname == "b");
  CHECK(field(folded[1], StatsField::kCpuPercent).count == 0);
  CHECK(folded[2].bucket_start == kT0 + hour);

  store.write([&](Transaction& tx) { tx.system_stats().upsert_aggregates(folded); });
  HourlyAggregate grown = folded[0];
  grown.merge(folded[0]);
  store.write([&](Transaction& tx) {
    tx.system_stats().upsert_aggregates(std::span<const HourlyAggregate>(&grown, 1));
  });
  StatsFilter first_hour;
  first_hour.end = kT0 + hour - 1;
  const auto stored = store.read(
      [&](Transaction& tx) { return tx.system_stats().query_aggregates(first_hour); });
  REQUIRE(stored.size() == 2);
  CHECK(stored[0].samples == 4);
  CHECK(field(stored[0], StatsField::kCpuPercent).sum == 80.0);
  CHECK(field(stored[0], StatsField::kCpuPercent).min == 10.0);
  CHECK(stored[1].hostname == "b");

  CHECK(store.write([&](Transaction& tx) {
          return tx.system_stats().delete_samples(kT0, kT0 + hour);
        }) == 3);
  CHECK(store.read([](Transaction& tx) { return tx.system_stats().oldest_sample(); }) ==
        kT0 + hour + 5);
  CHECK(store.write([&](Transaction& tx) {
          return tx.system_stats().delete_aggregates_before(kT0 + hour);
        }) == 2);
  CHECK(store.read([](Transaction& tx) { return tx.system_stats().query_aggregates({}); })
            .size() == 1);
}

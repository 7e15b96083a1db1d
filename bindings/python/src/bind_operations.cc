// System stats and housekeeping: the sampler's readings, the admin reads,
// retention and the maintenance cleanup.

#include "bindings.h"
#include "from_python.h"
#include "to_python.h"

namespace taskcore::python {
namespace {

py::dict aggregate_to_python(const StatsAggregateResult& result) {
  py::list buckets;
  for (const StatsBucket& bucket : result.buckets) {
    py::dict values;
    for (StatsField field : kStatsFields) {
      const FieldAggregate& f = bucket.fields[static_cast<std::size_t>(field)];
      const std::string name(stats_field_name(field));
      const auto average = f.average();
      values[py::str(name + "_avg")] = average ? py::object(py::float_(*average)) : py::none();
      values[py::str(name + "_min")] = stats_measurement(field, f.min);
      values[py::str(name + "_max")] = stats_measurement(field, f.max);
    }
    py::dict item;
    item["bucket_start"] = timestamp_to_python(bucket.bucket_start);
    item["samples"] = bucket.samples;
    item["values"] = values;
    buckets.append(item);
  }
  py::dict out;
  out["interval"] = std::string(stats_interval_name(result.interval));
  out["start"] = timestamp_to_python(result.start);
  out["end"] = timestamp_to_python(result.end);
  out["buckets"] = buckets;
  return out;
}

py::dict retention_to_python(const RetentionReport& report) {
  py::dict out;
  out["samples_folded"] = report.samples_folded;
  out["buckets_written"] = report.buckets_written;
  out["aggregates_deleted"] = report.aggregates_deleted;
  return out;
}

}  // namespace

void bind_operations(CoreClass& core) {
  core.def("record_sample", [](CoreHandle& self) {
    auto c = self.core();
    return to_python(without_gil([&] { return c->stats().record_sample(); }));
  });
  core.def("list_stats", [](CoreHandle& self, py::handle actor, py::handle params) {
    const Principal principal = principal_from(actor);
    const QueryParams query = query_params_from(params);
    const StatsFilter filter = parse_stats_filter(query);
    const PageRequest page = parse_page_request(query);
    auto c = self.core();
    return page_to_python(without_gil([&] { return c->stats().list(principal, filter, page); }));
  });
  core.def("latest_stats", [](CoreHandle& self, py::handle actor, py::handle params) {
    const Principal principal = principal_from(actor);
    const StatsFilter filter = parse_stats_filter(query_params_from(params));
    auto c = self.core();
    return to_python(
        without_gil([&] { return c->stats().latest(principal, filter.hostname); }));
  });
  core.def("aggregated_stats", [](CoreHandle& self, py::handle actor, py::handle params) {
    const Principal principal = principal_from(actor);
    const StatsAggregateQuery query = parse_stats_aggregate_query(query_params_from(params));
    auto c = self.core();
    return aggregate_to_python(
        without_gil([&] { return c->stats().aggregated(principal, query); }));
  });
  core.def("apply_retention", [](CoreHandle& self) {
    auto c = self.core();
    return retention_to_python(without_gil([&] { return c->stats().apply_retention(); }));
  });
  core.def("maintenance_cleanup", [](CoreHandle& self) {
    auto c = self.core();
    const CleanupReport report = without_gil([&] { return c->maintenance().cleanup(); });
    py::dict out;
    out["stats"] = retention_to_python(report.stats);
    out["events_pruned"] = report.events_pruned;
    out["sessions_deleted"] = report.sessions_deleted;
    out["reset_tokens_deleted"] = report.reset_tokens_deleted;
    return out;
  });
}

}  // namespace taskcore::python

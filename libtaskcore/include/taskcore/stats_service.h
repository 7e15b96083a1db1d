#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <string>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/system_probe.h"
#include "taskcore/system_stats.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;

struct StatsOptions {
  // Default: a ProcSystemProbe over /proc and `data_dir`.
  std::shared_ptr<SystemProbe> probe;
  // The directory whose file system the default probe measures.
  std::string data_dir;
  // How often Core samples on its scheduler (the first sample one interval
  // after start); 0 = never on its own (record_sample() still works).
  std::int64_t sample_interval_ms = 0;
  // Raw samples older than this are folded into hourly aggregates.
  std::int64_t raw_retention_days = 30;
  // Hourly aggregates older than this are deleted.
  std::int64_t aggregate_retention_days = 365;
  // How often Core runs retention (and the rest of MaintenanceService::
  // cleanup) on its scheduler; 0 = never on its own.
  std::int64_t cleanup_interval_ms = 0;
};

// Progress of a long retention run: samples folded so far and the raw
// samples that were due when it started.
using RetentionProgress = std::function<void(std::int64_t done, std::int64_t total)>;

struct RetentionReport {
  std::int64_t samples_folded = 0;     // raw samples folded and deleted
  std::int64_t buckets_written = 0;    // hourly aggregates created or grown
  std::int64_t aggregates_deleted = 0; // hourly aggregates past their retention
};

// The system stats: the sampler's recording, the admin reads and retention.
// Thread safe. Obtained from Core::stats().
class TASKCORE_EXPORT StatsService {
 public:
  StatsService(ServiceContext& context, StatsOptions options);
  ~StatsService();
  StatsService(const StatsService&) = delete;
  StatsService& operator=(const StatsService&) = delete;

  // Reads the probe and stores a sample stamped now. A failed probe leaves
  // its field null and a value out of range is dropped; both are logged
  // (warning). Returns the stored sample.
  SystemSample record_sample();

  // Admins only (permission_denied). Newest first; a page past the end is
  // not_found.
  Page<SystemSample> list(const Principal& actor, const StatsFilter& filter,
                          const PageRequest& page);
  // The newest sample (of `hostname` when given); not_found before the
  // first.
  SystemSample latest(const Principal& actor,
                      const std::optional<std::string>& hostname = std::nullopt);
  // Buckets over raw samples and stored hourly aggregates alike.
  StatsAggregateResult aggregated(const Principal& actor, const StatsAggregateQuery& query);

  // Folds raw samples older than raw_retention_days (whole hours, in
  // transactions of one day each: a sample is folded and deleted together)
  // and deletes aggregates older than aggregate_retention_days. Running it
  // again within the same hour changes nothing.
  RetentionReport apply_retention(const RetentionProgress& progress = {});

  const StatsOptions& options() const { return options_; }

 private:
  ServiceContext& ctx_;
  StatsOptions options_;
  std::mutex probe_mutex_;
};

}  // namespace taskcore

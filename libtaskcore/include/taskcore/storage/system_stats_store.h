#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/system_stats.h"

namespace taskcore {

// System samples and their hourly aggregates inside one transaction (see
// Transaction). The core folds and merges; the store only stores and
// groups.
class TASKCORE_EXPORT SystemStatsStore {
 public:
  virtual ~SystemStatsStore() = default;

  // Stores `sample` (its id is ignored) and returns the new id.
  virtual std::int64_t insert_sample(const SystemSample& sample) = 0;
  // Newest first (timestamp, then id, descending).
  virtual Page<SystemSample> query_samples(const StatsFilter& filter,
                                           const PageRequest& page) = 0;
  virtual std::optional<SystemSample> latest_sample(
      const std::optional<std::string>& hostname) = 0;
  // The raw samples the filter keeps, folded per server and UTC hour,
  // ordered by bucket_start then hostname.
  virtual std::vector<HourlyAggregate> fold_samples(const StatsFilter& filter) = 0;
  // Raw samples older than `before`: how many, and the oldest timestamp.
  virtual std::int64_t count_samples_before(Timestamp before) = 0;
  virtual std::optional<Timestamp> oldest_sample() = 0;
  // Deletes raw samples with timestamp in [from, to); returns how many.
  virtual std::int64_t delete_samples(Timestamp from, Timestamp to) = 0;

  // Stored aggregates whose bucket_start the filter keeps (start and end
  // compare with bucket_start), ordered by bucket_start then hostname.
  virtual std::vector<HourlyAggregate> query_aggregates(const StatsFilter& filter) = 0;
  // Inserts each aggregate, or replaces the stored one of its hostname and
  // bucket_start.
  virtual void upsert_aggregates(std::span<const HourlyAggregate> aggregates) = 0;
  // Deletes aggregates with bucket_start < `before`; returns how many.
  virtual std::int64_t delete_aggregates_before(Timestamp before) = 0;
};

}  // namespace taskcore

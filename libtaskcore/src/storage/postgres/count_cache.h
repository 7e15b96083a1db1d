#pragma once

// Counts of filtered lists, shared by the store's connections and kept
// while the database snapshot stays the same. A count walks every
// matching row (5 ms for 100k tasks) where the page reads twenty; most
// list requests repeat a count nothing has changed since.
//
// The key is the snapshot itself (pg_current_snapshot(): xmin, xmax and the
// transactions in progress): two read transactions with equal snapshots see
// exactly the same committed data, whichever server or table wrote last,
// so a cached count is never stale. Any commit in the cluster changes the
// snapshot, and the cache starts again. Only read snapshots use it: a write
// transaction sees its own uncommitted rows.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace taskcore::postgres {

class CountCache {
 public:
  std::optional<std::int64_t> find(const std::string& snapshot, const std::string& key);
  void store(const std::string& snapshot, std::string key, std::int64_t value);

 private:
  static constexpr std::size_t kMaxEntries = 256;
  std::mutex mutex_;
  std::string snapshot_;
  std::unordered_map<std::string, std::int64_t> values_;
};

}  // namespace taskcore::postgres

#include "storage/postgres/count_cache.h"

namespace taskcore::postgres {

std::optional<std::int64_t> CountCache::find(const std::string& snapshot,
                                             const std::string& key) {
  std::lock_guard lock(mutex_);
  if (snapshot != snapshot_) return std::nullopt;
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void CountCache::store(const std::string& snapshot, std::string key, std::int64_t value) {
  std::lock_guard lock(mutex_);
  if (snapshot != snapshot_) {
    values_.clear();
    snapshot_ = snapshot;
  }
  if (values_.size() >= kMaxEntries) values_.clear();
  values_.insert_or_assign(std::move(key), value);
}

}  // namespace taskcore::postgres

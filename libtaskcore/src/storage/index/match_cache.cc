#include "storage/index/match_cache.h"

#include "taskcore/time.h"

namespace taskcore::index {

namespace {

// Length-prefixed, so that no two filters share a key.
void put(std::string& key, std::string_view text) {
  key += std::to_string(text.size());
  key += ':';
  key += text;
}

}  // namespace

std::string MatchCache::key_of(const TaskFilter& filter) {
  std::string key;
  key.reserve(64);
  const auto list = [&](char tag, const auto& items, auto text_of) {
    key += tag;
    key += std::to_string(items.size());
    for (const auto& item : items) put(key, text_of(item));
  };
  const auto same = [](const std::string& s) -> std::string_view { return s; };
  const auto number = [](auto n) { return std::to_string(static_cast<long long>(n)); };
  list('c', filter.categories, same);
  list('p', filter.projects, same);
  list('s', filter.statuses, number);
  list('r', filter.priorities, number);
  list('a', filter.assigned_to, number);
  list('b', filter.created_by, number);
  const auto date = [&](char tag, const std::optional<Date>& d) {
    key += tag;
    if (d) key += std::to_string(days_from_date(*d));
  };
  date('f', filter.due_date_start);
  date('t', filter.due_date_end);
  key += filter.search ? 'q' : '-';
  if (filter.search) put(key, *filter.search);
  return key;
}

std::shared_ptr<const Roaring> MatchCache::find(const std::string& key, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return nullptr;
  const auto it = sets_.find(key);
  return it == sets_.end() ? nullptr : it->second;
}

void MatchCache::insert(std::string key, std::uint64_t generation,
                        std::shared_ptr<const Roaring> set) {
  const std::size_t bytes = set->getSizeInBytes(false) + key.size() + 64;
  if (bytes * 4 > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (generation < generation_) return;
  if (generation > generation_ || sets_.size() >= max_entries_ || bytes_ + bytes > max_bytes_) {
    // A new generation invalidates everything; a full cache starts over
    // (cheaper than tracking recency, and the hot filters come back at once).
    sets_.clear();
    bytes_ = 0;
    generation_ = generation;
  }
  if (sets_.emplace(std::move(key), std::move(set)).second) bytes_ += bytes;
}

}  // namespace taskcore::index

#pragma once

// The match sets of recent filters, valid for one generation of the index.
// A frontend asks the same filter again and again (polling, paging, several
// users on one board): from the second time on, only the page is computed,
// however many tasks match. Any change of the index starts a new
// generation, so a set is never served after the tasks it describes moved.

#include <roaring/roaring.hh>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "taskcore/task_filter.h"

namespace taskcore::index {

class MatchCache {
 public:
  // Sets larger than a quarter of `max_bytes` are not kept.
  explicit MatchCache(std::size_t max_bytes = std::size_t{4} << 20, std::size_t max_entries = 64)
      : max_bytes_(max_bytes), max_entries_(max_entries) {}

  // What the match set depends on: every filter field but the ordering.
  static std::string key_of(const TaskFilter& filter);

  std::shared_ptr<const Roaring> find(const std::string& key, std::uint64_t generation);
  // Keeps `set` for `generation`; a set computed for an older generation
  // than the newest seen is dropped.
  void insert(std::string key, std::uint64_t generation, std::shared_ptr<const Roaring> set);

 private:
  const std::size_t max_bytes_;
  const std::size_t max_entries_;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const Roaring>> sets_;
};

}  // namespace taskcore::index

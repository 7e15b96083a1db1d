// Answering a list query from the bitmaps: the matching set, its count,
// and the page in the filter's ordering.
#include <algorithm>
#include <numeric>

#include "storage/index/task_index.h"

namespace taskcore::index {
namespace {

// Below this share of live tasks, collecting the matches and selecting the
// page beats walking an ordering and skipping non-matches.
constexpr std::uint64_t kWalkDensityDivisor = 64;
// A result set this small is filtered by due date through the packed
// column (a few ns a task) instead of unioning the range's day bitmaps.
constexpr std::uint64_t kScanDueBelow = 65536;

// Orderings by due date walk the day bitmaps when this share of live tasks
// or more match; sparser results are collected and sorted.
constexpr std::uint64_t kWalkDueDensityDivisor = 16;

// The filter's due range in days, open ends widened to everything.
std::pair<std::int32_t, std::int32_t> due_range_of(const TaskFilter& filter) {
  return {filter.due_date_start ? static_cast<std::int32_t>(days_from_date(*filter.due_date_start))
                                : INT32_MIN + 1,
          filter.due_date_end ? static_cast<std::int32_t>(days_from_date(*filter.due_date_end))
                              : INT32_MAX};
}

// Appends `part`'s ids in id order (descending: reversed) to `ids` until it
// holds `size`, first passing over `skip` of them.
void append_in_order(const Roaring& part, bool descending, std::int64_t& skip, std::int64_t size,
                     std::vector<std::int64_t>& ids) {
  roaring_uint32_iterator_t it;
  if (descending)
    roaring_init_iterator_last(&part.roaring, &it);
  else
    roaring_init_iterator(&part.roaring, &it);
  for (; it.has_value && static_cast<std::int64_t>(ids.size()) < size;
       descending ? roaring_previous_uint32_iterator(&it) : roaring_advance_uint32_iterator(&it)) {
    if (skip > 0) {
      --skip;
      continue;
    }
    ids.push_back(it.current_value);
  }
}

Roaring union_of(const std::vector<const Roaring*>& parts) {
  if (parts.empty()) return Roaring();
  if (parts.size() == 1) return *parts.front();
  std::vector<const Roaring*> copy(parts);
  return Roaring::fastunion(copy.size(), copy.data());
}

}  // namespace

std::optional<Roaring> TaskIndex::matches(const TaskFilter& filter) const {
  if (!usable_) return std::nullopt;
  std::vector<Roaring> sets;  // each filter's set, intersected below

  if (filter.search) {
    const std::vector<std::string> words = search_words(*filter.search);
    if (words.empty()) return Roaring();  // nothing to look for matches nothing
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::optional<std::string> token = tokenizer_.query_token(words[i]);
      if (!token) return std::nullopt;
      if (i + 1 < words.size()) {
        const auto it = word_lookup_.find(*token);
        if (it == word_lookup_.end()) return Roaring();
        sets.push_back(*it->second);
        continue;
      }
      // The last word matches as a prefix: every word that starts with it.
      std::vector<const Roaring*> prefixed;
      for (auto it = by_word_.lower_bound(*token);
           it != by_word_.end() && std::string_view(it->first).substr(0, token->size()) == *token;
           ++it)
        prefixed.push_back(&it->second);
      if (prefixed.empty()) return Roaring();
      sets.push_back(union_of(prefixed));
    }
  }

  const auto labels = [&](const Labels& dictionary, const std::vector<std::string>& values) {
    std::vector<const Roaring*> parts;
    for (const std::string& value : values)
      if (const Roaring* members = dictionary.find(value)) parts.push_back(members);
    sets.push_back(union_of(parts));
  };
  const auto users = [&](const std::unordered_map<std::uint32_t, Roaring>& map,
                         const std::vector<std::int64_t>& values) {
    std::vector<const Roaring*> parts;
    for (const std::int64_t value : values) {
      const auto id = narrow(value);
      if (!id || *id == kNone) continue;
      if (const auto it = map.find(*id); it != map.end()) parts.push_back(&it->second);
    }
    sets.push_back(union_of(parts));
  };
  if (!filter.categories.empty()) labels(categories_, filter.categories);
  if (!filter.projects.empty()) labels(projects_, filter.projects);
  if (!filter.statuses.empty()) {
    std::vector<const Roaring*> parts;
    for (const TaskStatus s : filter.statuses) parts.push_back(&by_status_[static_cast<int>(s)]);
    sets.push_back(union_of(parts));
  }
  if (!filter.priorities.empty()) {
    std::vector<const Roaring*> parts;
    for (const TaskPriority p : filter.priorities)
      parts.push_back(&by_priority_[static_cast<int>(p)]);
    sets.push_back(union_of(parts));
  }
  if (!filter.assigned_to.empty()) users(by_assignee_, filter.assigned_to);
  if (!filter.created_by.empty()) users(by_creator_, filter.created_by);

  // Intersect the smallest first: every step is then as cheap as it gets.
  std::sort(sets.begin(), sets.end(), [](const Roaring& a, const Roaring& b) {
    return a.cardinality() < b.cardinality();
  });
  Roaring result = sets.empty() ? live_ : std::move(sets.front());
  for (std::size_t i = 1; i < sets.size() && !result.isEmpty(); ++i) result &= sets[i];

  if (filter.due_date_start || filter.due_date_end) {
    const auto [from, to] = due_range_of(filter);
    if (result.cardinality() < kScanDueBelow) {
      Roaring kept;
      std::vector<std::uint32_t> ids(static_cast<std::size_t>(result.cardinality()));
      result.toUint32Array(ids.data());
      std::vector<std::uint32_t> in_range;
      in_range.reserve(ids.size());
      for (const std::uint32_t id : ids) {
        const std::int32_t due = due_by_id_[id];
        if (due != kNoDue && due >= from && due <= to) in_range.push_back(id);
      }
      kept.addMany(in_range.size(), in_range.data());
      result = std::move(kept);
    } else {
      std::vector<const Roaring*> days;
      for (auto it = by_due_.lower_bound(from); it != by_due_.end() && it->first <= to; ++it)
        days.push_back(&it->second);
      result &= union_of(days);
    }
  }
  return result;
}

IndexAnswer TaskIndex::answer(const Roaring& found, const TaskFilter& filter,
                              const PageRequest& page) const {
  IndexAnswer answer;
  const std::uint64_t count = found.cardinality();
  answer.count = static_cast<std::int64_t>(count);
  const std::int64_t offset = std::max<std::int64_t>(page.offset(), 0);
  if (page.page_size <= 0 || offset >= answer.count) return answer;
  const std::vector<TaskOrderTerm> ordering = filter.effective_ordering();
  if (ordering.size() == 1 && ordering.front().key == TaskSortKey::kDueDate &&
      count * kWalkDueDensityDivisor >= live_.cardinality()) {
    answer.page_ids = walk_due(found, due_range_of(filter), ordering.front().descending, offset,
                               page.page_size);
    return answer;
  }
  answer.page_ids = page_of(found, count, ordering, offset, page.page_size);
  return answer;
}

std::vector<std::int64_t> TaskIndex::page_of(const Roaring& matches, std::uint64_t count,
                                             const std::vector<TaskOrderTerm>& ordering,
                                             std::int64_t offset, std::int64_t size) const {
  const bool dense = count * kWalkDensityDivisor >= live_.cardinality();
  if (ordering.size() == 1 && dense) {
    if (ordering.front().key == TaskSortKey::kCreatedAt)
      return walk_order(by_created_, true, matches, ordering.front().descending, offset, size);
    if (ordering.front().key == TaskSortKey::kUpdatedAt)
      return walk_order(by_updated_, false, matches, ordering.front().descending, offset, size);
  }
  if (ordering.front().key == TaskSortKey::kPriority) return walk_priority(matches, ordering, offset, size);
  return select_sorted(matches, ordering, offset, size);
}

std::vector<std::int64_t> TaskIndex::walk_order(const OrderList& order, bool by_created,
                                                const Roaring& matches, bool descending,
                                                std::int64_t offset, std::int64_t size) const {
  std::vector<std::int64_t> ids;
  std::int64_t skipped = 0;
  const auto visit = [&](const OrderList::Entry& entry) {
    const Slot& slot = slots_[entry.id];
    const std::uint32_t version = by_created ? slot.created_version : slot.updated_version;
    if (version != entry.version || !matches.contains(entry.id)) return true;
    if (skipped < offset) {
      ++skipped;
      return true;
    }
    ids.push_back(entry.id);
    return static_cast<std::int64_t>(ids.size()) < size;
  };
  const std::vector<OrderList::Entry>& entries = order.entries();
  if (descending) {
    for (auto it = entries.rbegin(); it != entries.rend() && visit(*it); ++it) {
    }
  } else {
    for (auto it = entries.begin(); it != entries.end() && visit(*it); ++it) {
    }
  }
  return ids;
}

// The four priority buckets in order, visiting only those the page
// reaches. Priority alone: each bucket in id order, nothing sorted; other
// keys after it: each reached bucket sorted by them.
std::vector<std::int64_t> TaskIndex::walk_priority(const Roaring& matches,
                                                   const std::vector<TaskOrderTerm>& ordering,
                                                   std::int64_t offset,
                                                   std::int64_t size) const {
  const bool descending = ordering.front().descending;
  std::vector<std::int64_t> ids;
  std::int64_t skip = offset;
  for (int step = 0; step < 4 && static_cast<std::int64_t>(ids.size()) < size; ++step) {
    const Roaring& level = by_priority_[descending ? 3 - step : step];
    const auto in_bucket = static_cast<std::int64_t>(level.and_cardinality(matches));
    if (skip >= in_bucket) {
      skip -= in_bucket;
      continue;
    }
    const Roaring bucket = matches & level;
    if (ordering.size() == 1) {
      append_in_order(bucket, descending, skip, size, ids);
    } else {
      const std::vector<std::int64_t> part =
          select_sorted(bucket, ordering, skip, size - static_cast<std::int64_t>(ids.size()), 1);
      ids.insert(ids.end(), part.begin(), part.end());
      skip = 0;
    }
  }
  return ids;
}

// ORDER BY due_date, id (NULLS LAST) without sorting: the days of the
// filter's range in order, each day's matches in id order, then the
// matches without a due date.
std::vector<std::int64_t> TaskIndex::walk_due(const Roaring& matches,
                                              std::pair<std::int32_t, std::int32_t> range,
                                              bool descending, std::int64_t offset,
                                              std::int64_t size) const {
  std::vector<std::int64_t> ids;
  std::int64_t skip = offset;
  std::uint64_t dated = 0;
  const auto visit = [&](const Roaring& day) {
    const auto in_day = static_cast<std::int64_t>(day.and_cardinality(matches));
    dated += static_cast<std::uint64_t>(in_day);
    if (skip >= in_day) {
      skip -= in_day;
      return true;
    }
    append_in_order(day & matches, descending, skip, size, ids);
    return static_cast<std::int64_t>(ids.size()) < size;
  };
  const auto first = by_due_.lower_bound(range.first);
  const auto last = by_due_.upper_bound(range.second);
  if (descending) {
    for (auto it = std::make_reverse_iterator(last); it != std::make_reverse_iterator(first); ++it)
      if (!visit(it->second)) return ids;
  } else {
    for (auto it = first; it != last; ++it)
      if (!visit(it->second)) return ids;
  }
  if (dated == matches.cardinality()) return ids;
  Roaring undated;
  for (const std::uint32_t id : matches)
    if (due_by_id_[id] == kNoDue) undated.add(id);
  append_in_order(undated, descending, skip, size, ids);
  return ids;
}

std::uint64_t TaskIndex::sort_key(const TaskOrderTerm& term, std::uint32_t id) const {
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  std::uint64_t key = 0;
  switch (term.key) {
    case TaskSortKey::kDueDate: {
      const std::int32_t due = due_by_id_[id];
      if (due == kNoDue) return UINT64_MAX;  // NULLS LAST whatever the direction
      key = static_cast<std::uint32_t>(due) ^ 0x80000000u;
      return term.descending ? 0xFFFFFFFFu - key : key;
    }
    case TaskSortKey::kPriority: key = slots_[id].priority; break;
    case TaskSortKey::kCreatedAt: key = static_cast<std::uint64_t>(slots_[id].created_at) ^ kSign; break;
    case TaskSortKey::kUpdatedAt: key = static_cast<std::uint64_t>(slots_[id].updated_at) ^ kSign; break;
    case TaskSortKey::kTitle: key = title_prefix_by_id_[id]; break;
  }
  return term.descending ? ~key : key;
}

// Collects the matches with the integer key of the leading term and
// selects the page with a partial sort; only ties on that key compare the
// slots term by term.
std::vector<std::int64_t> TaskIndex::select_sorted(const Roaring& matches,
                                                   const std::vector<TaskOrderTerm>& ordering,
                                                   std::int64_t offset, std::int64_t size,
                                                   std::size_t lead) const {
  const bool first_desc = ordering.front().descending;
  const auto compare_term = [&](const TaskOrderTerm& term, std::uint32_t a, std::uint32_t b) {
    const Slot& x = slots_[a];
    const Slot& y = slots_[b];
    int c = 0;
    switch (term.key) {
      case TaskSortKey::kDueDate: {
        // NULLS LAST whatever the direction.
        const bool xn = x.due == kNoDue, yn = y.due == kNoDue;
        if (xn != yn) return xn ? 1 : -1;
        c = x.due < y.due ? -1 : x.due > y.due ? 1 : 0;
        break;
      }
      case TaskSortKey::kPriority: c = x.priority - y.priority; break;
      case TaskSortKey::kCreatedAt:
        c = x.created_at < y.created_at ? -1 : x.created_at > y.created_at ? 1 : 0;
        break;
      case TaskSortKey::kUpdatedAt:
        c = x.updated_at < y.updated_at ? -1 : x.updated_at > y.updated_at ? 1 : 0;
        break;
      case TaskSortKey::kTitle: c = x.title.compare(y.title); break;
    }
    return term.descending ? -c : c;
  };
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    for (const TaskOrderTerm& term : ordering)
      if (const int c = compare_term(term, a, b)) return c < 0;
    return first_desc ? a > b : a < b;
  };

  std::vector<std::uint32_t> ids(static_cast<std::size_t>(matches.cardinality()));
  matches.toUint32Array(ids.data());
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  keyed.reserve(ids.size());
  for (const std::uint32_t id : ids) keyed.emplace_back(sort_key(ordering[lead], id), id);
  const auto wanted = static_cast<std::size_t>(
      std::min<std::int64_t>(offset + size, static_cast<std::int64_t>(keyed.size())));
  std::partial_sort(keyed.begin(), keyed.begin() + static_cast<long>(wanted), keyed.end(),
                    [&](const auto& a, const auto& b) {
                      if (a.first != b.first) return a.first < b.first;
                      return before(a.second, b.second);
                    });
  std::vector<std::int64_t> page;
  for (std::size_t i = static_cast<std::size_t>(offset); i < wanted; ++i)
    page.push_back(keyed[i].second);
  return page;
}

}  // namespace taskcore::index

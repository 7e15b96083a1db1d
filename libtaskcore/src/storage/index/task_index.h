#pragma once

// An in-memory index of every filterable column of the tasks and of their
// full-text terms, as compressed bitmaps (CRoaring): one bitmap per status,
// priority, category, project, assignee, creator, due day and word. A list
// query of any shape becomes bitmap unions and intersections plus a top-k
// selection for its ordering, so its cost follows the size of the result,
// not the plan a SQL planner happens to pick for that filter combination.
//
// Storage-agnostic: a backend feeds it the committed changes of its tasks
// and keeps it consistent with its own snapshots (for SQLite see
// storage/sqlite/task_index_sync.h). It answers with ids and a count; the
// backend reads the page's rows itself. Not thread safe: the owner locks.

#include <cstdint>
#include <map>
#include <optional>
#include <roaring/roaring.hh>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "taskcore/pagination.h"
#include "taskcore/task.h"
#include "taskcore/task_filter.h"

namespace taskcore::index {

// Splits text into the words the full-text search matches on, exactly as
// the backend's own full-text index does.
class TextTokenizer {
 public:
  virtual ~TextTokenizer() = default;
  // Every token of a document, in order (duplicates included).
  virtual std::vector<std::string> document_tokens(std::string_view text) = 0;
  // The one token a search word stands for, or nullopt when it would be
  // several or none (then only the backend can answer it exactly).
  virtual std::optional<std::string> query_token(std::string_view word) = 0;
};

struct IndexAnswer {
  std::vector<std::int64_t> page_ids;  // in the filter's ordering
  std::int64_t count = 0;
};

// Ids sorted by a key that changes (updated_at) or not (created_at).
// Changing a key appends a new entry (the usual case: the newest key is the
// largest) and leaves the old one behind; an entry counts only while its
// version is its task's current one, and dead entries are swept out once
// they are a quarter of the list.
class OrderList {
 public:
  struct Entry {
    std::int64_t key;
    std::uint32_t id;
    std::uint32_t version;
  };
  void add(std::int64_t key, std::uint32_t id, std::uint32_t version);
  // One entry became dead; `alive(entry)` tells a sweep which stay.
  template <class Alive>
  void retire(Alive alive) {
    if (++dead_ * 4 <= entries_.size()) return;
    std::erase_if(entries_, [&](const Entry& e) { return !alive(e); });
    dead_ = 0;
  }
  void clear() {
    entries_.clear();
    dead_ = 0;
  }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
  std::size_t dead_ = 0;
};

class TaskIndex {
 public:
  explicit TaskIndex(TextTokenizer& tokenizer) : tokenizer_(tokenizer) {}

  void clear();
  // Exchanges contents with `other` (which must share the tokenizer).
  void swap(TaskIndex& other) noexcept;
  // Each returns false when the task cannot be indexed (an id or user id
  // past 32 bits); the index is then unusable until clear().
  bool insert(const Task& task);
  bool update(const Task& before, const Task& after);
  // `task` as it was (its text is needed to drop its words).
  void remove(const Task& task);

  // A list query in two steps, so that a caller may keep the match set of
  // a filter while the index does not change: the set of `filter`, or
  // nullopt when the index cannot answer it exactly (a search word the
  // tokenizer splits, an unusable index; an empty set is an answer); then
  // the page and count of that set.
  std::optional<Roaring> matches(const TaskFilter& filter) const;
  IndexAnswer answer(const Roaring& matches, const TaskFilter& filter,
                     const PageRequest& page) const;

  bool usable() const { return usable_; }
  std::size_t size() const { return static_cast<std::size_t>(live_.cardinality()); }
  // Approximate heap bytes (for metrics and benchmarks).
  std::size_t memory_bytes() const;

 private:
  static constexpr std::int32_t kNoDue = INT32_MIN;
  static constexpr std::uint32_t kNone = 0;  // null category / project / user

  struct Slot {
    std::uint8_t status = 0;
    std::uint8_t priority = 0;
    std::uint32_t category = kNone;
    std::uint32_t project = kNone;
    std::uint32_t assigned_to = kNone;
    std::uint32_t created_by = kNone;
    std::int32_t due = kNoDue;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::string title;
    // The versions of this slot's entries in by_created_ and by_updated_
    // (bumped when an entry is replaced); 0 = none.
    std::uint32_t created_version = 0;
    std::uint32_t updated_version = 0;
  };

  // Dictionary of label text -> id (1-based) with one bitmap per id.
  struct Labels {
    std::unordered_map<std::string, std::uint32_t> ids;
    std::vector<Roaring> members{1};  // [0] unused
    std::uint32_t id_of(const std::optional<std::string>& label);
    const Roaring* find(const std::string& label) const;
  };

  void add_fields(std::uint32_t id, const Slot& slot);
  void remove_fields(std::uint32_t id, const Slot& slot);
  void add_words(std::uint32_t id, const Task& task);
  void remove_words(std::uint32_t id, const Task& task);
  // The distinct tokens of a task's title and description.
  std::vector<std::string> words_of(const Task& task);
  static std::optional<std::uint32_t> narrow(std::optional<std::int64_t> id);
  Slot slot_of(const Task& task, bool& ok);
  // Lists `id` anew in the order lists whose key changed; its entry there
  // until now is dead.
  void add_to_orders(std::uint32_t id, bool created, bool updated);

  // The page ids of a match set for an ordering.
  std::vector<std::int64_t> page_of(const Roaring& matches, std::uint64_t count,
                                    const std::vector<TaskOrderTerm>& ordering,
                                    std::int64_t offset, std::int64_t size) const;
  std::vector<std::int64_t> walk_order(const OrderList& order, bool by_created,
                                       const Roaring& matches, bool descending,
                                       std::int64_t offset, std::int64_t size) const;
  std::vector<std::int64_t> walk_due(const Roaring& matches,
                                     std::pair<std::int32_t, std::int32_t> range, bool descending,
                                     std::int64_t offset, std::int64_t size) const;
  std::vector<std::int64_t> walk_priority(const Roaring& matches,
                                          const std::vector<TaskOrderTerm>& ordering,
                                          std::int64_t offset, std::int64_t size) const;
  // `lead`: the first term that can differ between matches (the ones
  // before it are equal for all of them).
  std::vector<std::int64_t> select_sorted(const Roaring& matches,
                                          const std::vector<TaskOrderTerm>& ordering,
                                          std::int64_t offset, std::int64_t size,
                                          std::size_t lead = 0) const;
  // Orders like `term` wherever two keys differ; equal keys say nothing.
  std::uint64_t sort_key(const TaskOrderTerm& term, std::uint32_t id) const;

  TextTokenizer& tokenizer_;
  bool usable_ = true;
  std::vector<Slot> slots_;  // by id
  // Each slot's due day again, packed: scanning the due dates of a result
  // touches 4 bytes a task instead of a whole slot.
  std::vector<std::int32_t> due_by_id_;
  // The first 8 bytes of each title, big-endian: a sort by title compares
  // integers and reads strings only where those tie.
  std::vector<std::uint64_t> title_prefix_by_id_;
  Roaring live_;
  Roaring by_status_[4];
  Roaring by_priority_[4];
  Labels categories_;
  Labels projects_;
  std::unordered_map<std::uint32_t, Roaring> by_assignee_;
  std::unordered_map<std::uint32_t, Roaring> by_creator_;
  std::map<std::int32_t, Roaring> by_due_;
  std::map<std::string, Roaring, std::less<>> by_word_;  // sorted: prefixes
  // The same postings by hash: documents look their words up here.
  std::unordered_map<std::string_view, Roaring*> word_lookup_;
  // Ids by (created_at, id) and (updated_at, id): the default ordering and
  // -updated_at walk them.
  OrderList by_created_;
  OrderList by_updated_;
  std::uint32_t next_order_version_ = 0;
};

}  // namespace taskcore::index

#include "storage/index/task_index.h"

#include <algorithm>
#include <limits>
#include <set>

namespace taskcore::index {

std::uint32_t TaskIndex::Labels::id_of(const std::optional<std::string>& label) {
  if (!label) return kNone;
  const auto [it, inserted] =
      ids.emplace(*label, static_cast<std::uint32_t>(members.size()));
  if (inserted) members.emplace_back();
  return it->second;
}

const Roaring* TaskIndex::Labels::find(const std::string& label) const {
  const auto it = ids.find(label);
  return it == ids.end() ? nullptr : &members[it->second];
}

void TaskIndex::clear() {
  usable_ = true;
  slots_.clear();
  due_by_id_.clear();
  title_prefix_by_id_.clear();
  live_ = Roaring();
  for (Roaring& r : by_status_) r = Roaring();
  for (Roaring& r : by_priority_) r = Roaring();
  categories_ = Labels();
  projects_ = Labels();
  by_assignee_.clear();
  by_creator_.clear();
  by_due_.clear();
  word_lookup_.clear();
  by_word_.clear();
  by_created_.clear();
  by_updated_.clear();
  next_order_version_ = 0;
}

void TaskIndex::swap(TaskIndex& other) noexcept {
  using std::swap;
  swap(usable_, other.usable_);
  swap(slots_, other.slots_);
  swap(due_by_id_, other.due_by_id_);
  swap(title_prefix_by_id_, other.title_prefix_by_id_);
  swap(live_, other.live_);
  for (int i = 0; i < 4; ++i) {
    swap(by_status_[i], other.by_status_[i]);
    swap(by_priority_[i], other.by_priority_[i]);
  }
  swap(categories_, other.categories_);
  swap(projects_, other.projects_);
  swap(by_assignee_, other.by_assignee_);
  swap(by_creator_, other.by_creator_);
  swap(by_due_, other.by_due_);
  swap(by_word_, other.by_word_);
  swap(word_lookup_, other.word_lookup_);
  swap(by_created_, other.by_created_);
  swap(by_updated_, other.by_updated_);
  swap(next_order_version_, other.next_order_version_);
}

std::optional<std::uint32_t> TaskIndex::narrow(std::optional<std::int64_t> id) {
  if (!id) return kNone;
  if (*id <= 0 || *id > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  return static_cast<std::uint32_t>(*id);
}

TaskIndex::Slot TaskIndex::slot_of(const Task& task, bool& ok) {
  Slot slot;
  slot.status = static_cast<std::uint8_t>(task.status);
  slot.priority = static_cast<std::uint8_t>(task.priority);
  slot.category = categories_.id_of(task.category);
  slot.project = projects_.id_of(task.project);
  const auto assigned = narrow(task.assigned_to);
  const auto creator = narrow(task.created_by);
  ok = assigned && creator;
  slot.assigned_to = assigned.value_or(kNone);
  slot.created_by = creator.value_or(kNone);
  slot.due = task.due_date ? static_cast<std::int32_t>(days_from_date(*task.due_date)) : kNoDue;
  slot.created_at = task.created_at;
  slot.updated_at = task.updated_at;
  slot.title = task.title;
  return slot;
}

void TaskIndex::add_fields(std::uint32_t id, const Slot& slot) {
  live_.add(id);
  if (due_by_id_.size() <= id) due_by_id_.resize(static_cast<std::size_t>(id) + 1, kNoDue);
  due_by_id_[id] = slot.due;
  if (title_prefix_by_id_.size() <= id) title_prefix_by_id_.resize(static_cast<std::size_t>(id) + 1);
  std::uint64_t prefix = 0;
  for (std::size_t i = 0; i < 8; ++i)
    prefix = prefix << 8 | (i < slot.title.size() ? static_cast<unsigned char>(slot.title[i]) : 0u);
  title_prefix_by_id_[id] = prefix;
  by_status_[slot.status].add(id);
  by_priority_[slot.priority].add(id);
  if (slot.category != kNone) categories_.members[slot.category].add(id);
  if (slot.project != kNone) projects_.members[slot.project].add(id);
  if (slot.assigned_to != kNone) by_assignee_[slot.assigned_to].add(id);
  if (slot.created_by != kNone) by_creator_[slot.created_by].add(id);
  if (slot.due != kNoDue) by_due_[slot.due].add(id);
}

void TaskIndex::remove_fields(std::uint32_t id, const Slot& slot) {
  const auto drop = [id](auto& map, auto key) {
    const auto it = map.find(key);
    if (it == map.end()) return;
    it->second.remove(id);
    if (it->second.isEmpty()) map.erase(it);
  };
  live_.remove(id);
  due_by_id_[id] = kNoDue;
  by_status_[slot.status].remove(id);
  by_priority_[slot.priority].remove(id);
  if (slot.category != kNone) categories_.members[slot.category].remove(id);
  if (slot.project != kNone) projects_.members[slot.project].remove(id);
  if (slot.assigned_to != kNone) drop(by_assignee_, slot.assigned_to);
  if (slot.created_by != kNone) drop(by_creator_, slot.created_by);
  if (slot.due != kNoDue) drop(by_due_, slot.due);
}

std::vector<std::string> TaskIndex::words_of(const Task& task) {
  std::vector<std::string> words = tokenizer_.document_tokens(task.title);
  std::vector<std::string> more = tokenizer_.document_tokens(task.description);
  words.insert(words.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

void TaskIndex::add_words(std::uint32_t id, const Task& task) {
  for (std::string& word : words_of(task)) {
    if (const auto hit = word_lookup_.find(word); hit != word_lookup_.end()) {
      hit->second->add(id);
      continue;
    }
    const auto it = by_word_.emplace(std::move(word), Roaring()).first;
    it->second.add(id);
    // Map nodes never move: the key's storage outlives the lookup entry.
    word_lookup_.emplace(std::string_view(it->first), &it->second);
  }
}

void TaskIndex::remove_words(std::uint32_t id, const Task& task) {
  for (const std::string& word : words_of(task)) {
    const auto hit = word_lookup_.find(word);
    if (hit == word_lookup_.end()) continue;
    hit->second->remove(id);
    if (!hit->second->isEmpty()) continue;
    word_lookup_.erase(hit);
    by_word_.erase(by_word_.find(word));
  }
}

void OrderList::add(std::int64_t key, std::uint32_t id, std::uint32_t version) {
  const Entry entry{key, id, version};
  const auto before = [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.id < b.id;
  };
  if (entries_.empty() || before(entries_.back(), entry)) {
    entries_.push_back(entry);
    return;
  }
  entries_.insert(std::upper_bound(entries_.begin(), entries_.end(), entry, before), entry);
}

void TaskIndex::add_to_orders(std::uint32_t id, bool created, bool updated) {
  Slot& slot = slots_[id];
  if (created) {
    if (slot.created_version)
      by_created_.retire([&](const OrderList::Entry& e) {
        return live_.contains(e.id) && slots_[e.id].created_version == e.version;
      });
    slot.created_version = ++next_order_version_;
    by_created_.add(slot.created_at, id, slot.created_version);
  }
  if (updated) {
    if (slot.updated_version)
      by_updated_.retire([&](const OrderList::Entry& e) {
        return live_.contains(e.id) && slots_[e.id].updated_version == e.version;
      });
    slot.updated_version = ++next_order_version_;
    by_updated_.add(slot.updated_at, id, slot.updated_version);
  }
}

bool TaskIndex::insert(const Task& task) {
  const auto id = narrow(task.id);
  bool ok = false;
  Slot slot = slot_of(task, ok);
  if (!id || *id == kNone || !ok) {
    usable_ = false;
    return false;
  }
  if (slots_.size() <= *id) slots_.resize(static_cast<std::size_t>(*id) + 1);
  if (live_.contains(*id)) remove(task);  // replaced: should not happen
  slots_[*id] = std::move(slot);
  add_fields(*id, slots_[*id]);
  add_words(*id, task);
  add_to_orders(*id, true, true);
  return true;
}

bool TaskIndex::update(const Task& before, const Task& after) {
  const auto id = narrow(after.id);
  if (!id || !live_.contains(*id)) return insert(after);
  bool ok = false;
  Slot slot = slot_of(after, ok);
  if (!ok) {
    usable_ = false;
    return false;
  }
  remove_fields(*id, slots_[*id]);
  const bool created_moved = slot.created_at != slots_[*id].created_at;
  const bool updated_moved = slot.updated_at != slots_[*id].updated_at;
  slot.created_version = slots_[*id].created_version;
  slot.updated_version = slots_[*id].updated_version;
  slots_[*id] = std::move(slot);
  add_fields(*id, slots_[*id]);
  if (before.title != after.title || before.description != after.description) {
    remove_words(*id, before);
    add_words(*id, after);
  }
  // A new entry where a key moved; the old one is dead from now on.
  add_to_orders(*id, created_moved, updated_moved);
  return true;
}

void TaskIndex::remove(const Task& task) {
  const auto id = narrow(task.id);
  if (!id || !live_.contains(*id)) return;
  remove_fields(*id, slots_[*id]);
  remove_words(*id, task);
  slots_[*id] = Slot{};
  by_created_.retire([&](const OrderList::Entry& e) {
    return live_.contains(e.id) && slots_[e.id].created_version == e.version;
  });
  by_updated_.retire([&](const OrderList::Entry& e) {
    return live_.contains(e.id) && slots_[e.id].updated_version == e.version;
  });
}

std::size_t TaskIndex::memory_bytes() const {
  std::size_t bytes = slots_.capacity() * sizeof(Slot) + due_by_id_.capacity() * 4 +
                      title_prefix_by_id_.capacity() * 8 +
                      (by_created_.entries().capacity() + by_updated_.entries().capacity()) *
                          sizeof(OrderList::Entry);
  for (const Slot& slot : slots_) bytes += slot.title.capacity() > 15 ? slot.title.capacity() : 0;
  const auto bitmap = [](const Roaring& r) { return r.getSizeInBytes(false); };
  bytes += bitmap(live_);
  for (const Roaring& r : by_status_) bytes += bitmap(r);
  for (const Roaring& r : by_priority_) bytes += bitmap(r);
  for (const Roaring& r : categories_.members) bytes += bitmap(r);
  for (const Roaring& r : projects_.members) bytes += bitmap(r);
  for (const auto& [k, r] : by_assignee_) bytes += bitmap(r) + 32;
  for (const auto& [k, r] : by_creator_) bytes += bitmap(r) + 32;
  for (const auto& [k, r] : by_due_) bytes += bitmap(r) + 48;
  for (const auto& [word, r] : by_word_) bytes += bitmap(r) + word.capacity() + 64;
  return bytes;
}

}  // namespace taskcore::index

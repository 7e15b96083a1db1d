#include "core/event_codec.h"

#include <cstdint>

#include "core/task_fields.h"
#include "taskcore/error.h"

namespace taskcore {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr unsigned kAllFields = kAllTaskFields;

// Appends into a buffer sized once per batch: most fields are a byte or a
// short varint, and per-byte push_back checks dominated the encoding cost.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void varint(std::uint64_t v) {
    char buf[10];
    std::size_t n = 0;
    while (v >= 0x80) {
      buf[n++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    buf[n++] = static_cast<char>(v);
    out_.append(buf, n);
  }
  void signed_varint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void text(const std::string& s) {
    varint(s.size());
    out_.append(s);
  }
  void optional_text(const std::optional<std::string>& s) {
    byte(s ? 1 : 0);
    if (s) text(*s);
  }
  void optional_int(const std::optional<std::int64_t>& v) {
    byte(v ? 1 : 0);
    if (v) signed_varint(*v);
  }

  void task_fields(const Task& task, unsigned mask) {
    if (mask & kTaskTitle) text(task.title);
    if (mask & kTaskDescription) text(task.description);
    if (mask & kTaskStatus) byte(static_cast<std::uint8_t>(task.status));
    if (mask & kTaskPriority) byte(static_cast<std::uint8_t>(task.priority));
    if (mask & kTaskCategory) optional_text(task.category);
    if (mask & kTaskProject) optional_text(task.project);
    if (mask & kTaskDueDate) {
      byte(task.due_date ? 1 : 0);
      if (task.due_date) signed_varint(days_from_date(*task.due_date));
    }
    if (mask & kTaskAssignedTo) optional_int(task.assigned_to);
    if (mask & kTaskCreatedBy) optional_int(task.created_by);
    if (mask & kTaskCreatedAt) signed_varint(task.created_at);
    if (mask & kTaskUpdatedAt) signed_varint(task.updated_at);
  }

 private:
  std::string& out_;
};

// An upper bound of what task_fields writes for every field.
std::size_t max_task_size(const Task& task) {
  return task.title.size() + task.description.size() +
         (task.category ? task.category->size() : 0) +
         (task.project ? task.project->size() : 0) + 96;
}

[[noreturn]] void malformed() { throw Error::internal("Malformed outbox record."); }

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint8_t byte() {
    if (pos_ >= in_.size()) malformed();
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    malformed();
  }
  std::int64_t signed_varint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  std::string text() {
    const std::uint64_t size = varint();
    if (size > in_.size() - pos_) malformed();
    std::string s(in_.substr(pos_, size));
    pos_ += size;
    return s;
  }
  std::optional<std::string> optional_text() {
    if (!flag()) return std::nullopt;
    return text();
  }
  std::optional<std::int64_t> optional_int() {
    if (!flag()) return std::nullopt;
    return signed_varint();
  }
  bool flag() {
    const std::uint8_t b = byte();
    if (b > 1) malformed();
    return b == 1;
  }
  bool done() const { return pos_ == in_.size(); }

  void task_fields(Task& task, unsigned mask) {
    if (mask & kTaskTitle) task.title = text();
    if (mask & kTaskDescription) task.description = text();
    if (mask & kTaskStatus) task.status = choice<TaskStatus>();
    if (mask & kTaskPriority) task.priority = choice<TaskPriority>();
    if (mask & kTaskCategory) task.category = optional_text();
    if (mask & kTaskProject) task.project = optional_text();
    if (mask & kTaskDueDate) {
      task.due_date.reset();
      if (flag()) task.due_date = date_from_days(signed_varint());
    }
    if (mask & kTaskAssignedTo) task.assigned_to = optional_int();
    if (mask & kTaskCreatedBy) task.created_by = optional_int();
    if (mask & kTaskCreatedAt) task.created_at = signed_varint();
    if (mask & kTaskUpdatedAt) task.updated_at = signed_varint();
  }

 private:
  template <class Enum>
  Enum choice() {
    const std::uint8_t b = byte();
    if (b > 3) malformed();
    return static_cast<Enum>(b);
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_events(std::span<const TaskEvent> events) {
  std::string out;
  std::size_t size = 16;
  for (const TaskEvent& event : events) {
    size += 48;
    if (event.after) size += max_task_size(*event.after);
    if (event.before) size += max_task_size(*event.before);
  }
  out.reserve(size);
  Writer w(out);
  w.byte(kVersion);
  w.varint(events.size());
  for (const TaskEvent& event : events) {
    w.byte(static_cast<std::uint8_t>(event.type));
    w.signed_varint(event.task_id);
    w.signed_varint(event.actor_id);
    w.signed_varint(event.at);
    w.byte((event.after ? 1 : 0) | (event.before ? 2 : 0));
    if (event.after) w.task_fields(*event.after, kAllFields);
    if (event.before) {
      const unsigned mask =
          event.after ? differing_task_fields(*event.before, *event.after) : kAllFields;
      w.varint(mask);
      w.task_fields(*event.before, mask);
    }
  }
  return out;
}

std::vector<TaskEvent> decode_events(std::string_view payload,
                                     std::int64_t first_sequence) {
  Reader r(payload);
  if (r.byte() != kVersion) malformed();
  const std::uint64_t count = r.varint();
  // Each event takes at least five bytes: a corrupt count cannot make us
  // reserve more than the payload could hold.
  if (count > payload.size()) malformed();
  std::vector<TaskEvent> events;
  events.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    TaskEvent event;
    event.sequence = first_sequence + static_cast<std::int64_t>(i);
    const std::uint8_t type = r.byte();
    if (type > 2) malformed();
    event.type = static_cast<TaskEventType>(type);
    event.task_id = r.signed_varint();
    event.actor_id = r.signed_varint();
    event.at = r.signed_varint();
    const std::uint8_t has = r.byte();
    if (has > 3) malformed();
    if (has & 1) {
      event.after.emplace();
      event.after->id = event.task_id;
      r.task_fields(*event.after, kAllFields);
    }
    if (has & 2) {
      const std::uint64_t mask = r.varint();
      if (mask > kAllFields) malformed();
      event.before = event.after ? *event.after : Task{};
      event.before->id = event.task_id;
      r.task_fields(*event.before, static_cast<unsigned>(mask));
    }
    events.push_back(std::move(event));
  }
  if (!r.done()) malformed();
  return events;
}

}  // namespace taskcore

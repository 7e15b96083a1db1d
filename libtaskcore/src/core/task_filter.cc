#include "taskcore/task_filter.h"

#include <algorithm>
#include <array>

#include "core/filter_params.h"
#include "taskcore/error.h"
#include "util/text.h"

namespace taskcore {
namespace {

struct SortKeyName {
  TaskSortKey key;
  std::string_view name;
};

constexpr std::array<SortKeyName, 5> kSortKeys = {{
    {TaskSortKey::kDueDate, "due_date"},
    {TaskSortKey::kPriority, "priority"},
    {TaskSortKey::kCreatedAt, "created_at"},
    {TaskSortKey::kUpdatedAt, "updated_at"},
    {TaskSortKey::kTitle, "title"},
}};

constexpr std::string_view kInvalidUtf8 = "Invalid UTF-8 text.";

// Reads a multi filter whose values are all valid UTF-8 strings.
std::vector<std::string> read_texts(const QueryParams& params,
                                    const std::string& name,
                                    FieldErrorCollector& errors) {
  auto values = params.multi(name);
  for (const auto& value : values) {
    if (!util::is_valid_utf8(value)) {
      errors.add(name, std::string(kInvalidUtf8));
      return {};
    }
    if (util::utf8_length(value) > kMaxLabelLength) {
      errors.add(name, "Ensure each value has at most 100 characters.");
      return {};
    }
  }
  return values;
}

std::vector<TaskOrderTerm> read_ordering(const QueryParams& params,
                                         FieldErrorCollector& errors) {
  std::vector<TaskOrderTerm> terms;
  for (const auto& item : params.multi("ordering")) {
    std::string_view name = item;
    const bool descending = !name.empty() && name.front() == '-';
    if (descending) name.remove_prefix(1);
    const auto known = std::find_if(kSortKeys.begin(), kSortKeys.end(),
                                     [&](const auto& k) { return k.name == name; });
    if (known == kSortKeys.end()) {
      const std::string shown =
          util::is_valid_utf8(item) ? item : std::string("(invalid text)");
      errors.add("ordering",
                 "Invalid ordering \"" + shown +
                     "\". Choose from due_date, priority, created_at, "
                     "updated_at, title, optionally prefixed with '-'.");
      continue;
    }
    // A key given twice only counts the first time.
    if (std::none_of(terms.begin(), terms.end(),
                     [&](const auto& t) { return t.key == known->key; }))
      terms.push_back({known->key, descending});
  }
  return terms;
}

}  // namespace

std::vector<TaskOrderTerm> TaskFilter::effective_ordering() const {
  if (ordering.empty()) return {{TaskSortKey::kCreatedAt, true}};
  return ordering;
}

std::string ordering_term_name(const TaskOrderTerm& term) {
  for (const auto& k : kSortKeys)
    if (k.key == term.key)
      return (term.descending ? "-" : "") + std::string(k.name);
  return {};
}

TaskFilter parse_task_filter(const QueryParams& params) {
  FieldErrorCollector errors;
  TaskFilter filter;
  filter.categories = read_texts(params, "category", errors);
  filter.projects = read_texts(params, "project", errors);
  filter.statuses =
      read_choices<TaskStatus>(params, "status", parse_status, errors);
  filter.priorities =
      read_choices<TaskPriority>(params, "priority", parse_priority, errors);
  filter.assigned_to = read_ids(params, "assigned_to", errors);
  filter.created_by = read_ids(params, "created_by", errors);
  const DateRange due = read_date_range(params, "due_date_start", "due_date_end", errors);
  filter.due_date_start = due.start;
  filter.due_date_end = due.end;
  filter.search = read_search(params, errors);
  filter.ordering = read_ordering(params, errors);
  errors.throw_if_any("Invalid filter.");
  return filter;
}

std::vector<std::string> search_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool word_char = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                           (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (word_char) {
      current.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : ch);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

}  // namespace taskcore

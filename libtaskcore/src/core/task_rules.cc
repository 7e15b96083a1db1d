#include "core/task_rules.h"

#include <string>

#include "core/field_rules.h"
#include "util/text.h"

namespace taskcore {
namespace {

// category / project: optional labels; blank means none.
void apply_label(const std::string& field, const Nullable<std::string>& raw,
                 std::optional<std::string>& target,
                 FieldErrorCollector& errors) {
  if (!raw) return;
  if (!raw->has_value()) {
    target.reset();
    return;
  }
  if (auto text = checked_text(field, **raw, kMaxLabelLength, errors)) {
    if (text->empty()) target.reset();
    else target = std::move(*text);
  }
}

}  // namespace

void apply_task_input(const TaskInput& input, WriteMode mode, Task& task) {
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  Task next = task;
  auto decoded = [&](const char* field) {
    return input.decode_errors.find(field) == input.decode_errors.end();
  };

  if (!input.title) {
    if (mode != WriteMode::kPartial && decoded("title"))
      errors.add("title", kRequired);
  } else if (!input.title->has_value()) {
    errors.add("title", kNotNull);
  } else if (auto title = checked_text("title", **input.title, kMaxTitleLength,
                                       errors)) {
    if (title->empty()) errors.add("title", kNotBlank);
    else next.title = std::move(*title);
  }

  if (input.description) {
    if (!input.description->has_value()) {
      errors.add("description", kNotNull);
    } else if (auto text = checked_text("description", **input.description,
                                        kMaxDescriptionLength, errors)) {
      next.description = std::move(*text);
    }
  }

  apply_choice("status", input.status, parse_status, next.status, errors);
  apply_choice("priority", input.priority, parse_priority, next.priority,
               errors);
  apply_label("category", input.category, next.category, errors);
  apply_label("project", input.project, next.project, errors);

  if (input.due_date) {
    if (!input.due_date->has_value()) {
      next.due_date.reset();
    } else if (auto date = parse_date(util::trim(**input.due_date))) {
      next.due_date = *date;
    } else {
      errors.add("due_date",
                 "Date has wrong format. Use one of these formats instead: "
                 "YYYY-MM-DD.");
    }
  }

  if (input.assigned_to) {
    if (!input.assigned_to->has_value()) {
      next.assigned_to.reset();
    } else if (**input.assigned_to < 1) {
      errors.add("assigned_to", invalid_pk(**input.assigned_to));
    } else {
      next.assigned_to = **input.assigned_to;
    }
  }

  errors.throw_if_any();
  task = std::move(next);
}

void UserReferences::check(const std::string& field,
                           const std::optional<std::int64_t>& user_id,
                           FieldErrorCollector& errors) {
  if (!user_id || known_.count(*user_id)) return;
  if (tx_.users().exists(*user_id)) {
    known_.insert(*user_id);
    return;
  }
  errors.add(field, invalid_pk(*user_id));
}

void UserReferences::require_assignee(const Task& task, const std::string& field) {
  FieldErrorCollector errors;
  check(field, task.assigned_to, errors);
  errors.throw_if_any();
}

}  // namespace taskcore

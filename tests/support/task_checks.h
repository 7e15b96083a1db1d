#pragma once

// Field-by-field comparison of two tasks, so that a failure names the field.
#include <doctest/doctest.h>

#include "taskcore/task.h"

namespace taskcore::testing {

inline void check_same(const Task& a, const Task& b) {
  CHECK(a.id == b.id);
  CHECK(a.title == b.title);
  CHECK(a.description == b.description);
  CHECK(a.status == b.status);
  CHECK(a.priority == b.priority);
  CHECK(a.category == b.category);
  CHECK(a.project == b.project);
  CHECK(a.due_date == b.due_date);
  CHECK(a.assigned_to == b.assigned_to);
  CHECK(a.created_by == b.created_by);
  CHECK(a.created_at == b.created_at);
  CHECK(a.updated_at == b.updated_at);
}

}  // namespace taskcore::testing

#include <doctest/doctest.h>

#include "taskcore/error.h"
#include "taskcore/task_filter.h"

using namespace taskcore;

namespace {
FieldErrors filter_errors(const QueryParams& params) {
  try {
    parse_task_filter(params);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    return e.field_errors();
  }
  FAIL("expected a validation error");
  return {};
}
}  // namespace

TEST_CASE("no parameters: no filter, default ordering") {
  TaskFilter filter = parse_task_filter({{"unknown", "x"}});
  CHECK(filter.categories.empty());
  CHECK_FALSE(filter.search);
  CHECK(filter.ordering.empty());
  auto ordering = filter.effective_ordering();
  REQUIRE(ordering.size() == 1);
  CHECK(ordering[0] == TaskOrderTerm{TaskSortKey::kCreatedAt, true});
}

TEST_CASE("multi filters accept repeats and comma lists") {
  TaskFilter filter = parse_task_filter({{"category", "web"},
                                         {"category", "design, ops"},
                                         {"project", "alpha,"},
                                         {"status", "todo,done"},
                                         {"priority", "high"},
                                         {"priority", "urgent"},
                                         {"assigned_to", "3,4"},
                                         {"created_by", "7"}});
  CHECK(filter.categories == std::vector<std::string>{"web", "design", "ops"});
  CHECK(filter.projects == std::vector<std::string>{"alpha"});
  CHECK(filter.statuses ==
        std::vector<TaskStatus>{TaskStatus::kTodo, TaskStatus::kDone});
  CHECK(filter.priorities ==
        std::vector<TaskPriority>{TaskPriority::kHigh, TaskPriority::kUrgent});
  CHECK(filter.assigned_to == std::vector<std::int64_t>{3, 4});
  CHECK(filter.created_by == std::vector<std::int64_t>{7});
}

TEST_CASE("empty values are ignored") {
  TaskFilter filter =
      parse_task_filter({{"category", ""}, {"search", "  "}, {"due_date_start", ""}});
  CHECK(filter.categories.empty());
  CHECK_FALSE(filter.search);
  CHECK_FALSE(filter.due_date_start);
}

TEST_CASE("date range") {
  TaskFilter filter = parse_task_filter(
      {{"due_date_start", "2025-01-01"}, {"due_date_end", "2025-01-01"}});
  CHECK(filter.due_date_start == Date{2025, 1, 1});
  CHECK(filter.due_date_end == Date{2025, 1, 1});

  CHECK(filter_errors({{"due_date_start", "2025-02-30"}}).count("due_date_start"));
  CHECK(filter_errors({{"due_date_end", "tomorrow"}}).count("due_date_end"));
  auto reversed = filter_errors(
      {{"due_date_start", "2025-02-01"}, {"due_date_end", "2025-01-01"}});
  CHECK(reversed.count("due_date_start"));
  CHECK(reversed.count("due_date_end"));
}

TEST_CASE("invalid choices and ids name the parameter") {
  CHECK(filter_errors({{"status", "todo,nope"}}).count("status"));
  CHECK(filter_errors({{"priority", "HIGH"}}).count("priority"));
  CHECK(filter_errors({{"assigned_to", "me"}}).count("assigned_to"));
  CHECK(filter_errors({{"created_by", "1.5"}}).count("created_by"));
  CHECK(filter_errors({{"created_by", "99999999999999999999"}}).count("created_by"));
  auto all = filter_errors({{"status", "x"}, {"priority", "y"}, {"ordering", "z"}});
  CHECK(all.size() == 3);
}

TEST_CASE("ordering: keys, direction, comma lists, unknown keys") {
  TaskFilter filter = parse_task_filter({{"ordering", "priority,-due_date"}});
  REQUIRE(filter.ordering.size() == 2);
  CHECK(filter.ordering[0] == TaskOrderTerm{TaskSortKey::kPriority, false});
  CHECK(filter.ordering[1] == TaskOrderTerm{TaskSortKey::kDueDate, true});
  CHECK(ordering_term_name(filter.ordering[1]) == "-due_date");

  for (const char* key : {"due_date", "priority", "created_at", "updated_at", "title"}) {
    CHECK(parse_task_filter({{"ordering", key}}).ordering.size() == 1);
    CHECK(parse_task_filter({{"ordering", std::string("-") + key}})
              .ordering[0].descending);
  }
  CHECK(filter_errors({{"ordering", "id"}}).count("ordering"));
  CHECK(filter_errors({{"ordering", "--title"}}).count("ordering"));
  CHECK(parse_task_filter({{"ordering", "title,-title"}}).ordering.size() == 1);
}

TEST_CASE("search: trimmed, bounded, valid UTF-8") {
  CHECK(parse_task_filter({{"search", "  hello world "}}).search == "hello world");
  CHECK(filter_errors({{"search", std::string(201, 'a')}}).count("search"));
  CHECK(parse_task_filter({{"search", std::string(200, 'a')}}).search);
  CHECK(filter_errors({{"search", "bad \xff byte"}}).count("search"));
  // 200 characters of two bytes each is still within the limit.
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "\xc3\xa9";
  CHECK(parse_task_filter({{"search", accents}}).search);
}

TEST_CASE("search words split on punctuation and lowercase") {
  CHECK(search_words("Fix the LOGIN-page!") ==
        std::vector<std::string>{"fix", "the", "login", "page"});
  CHECK(search_words("\"*() NEAR( :-'").size() == 1);  // only NEAR remains
  CHECK(search_words("\"*() :-'").empty());
  CHECK(search_words("caf\xc3\xa9 au lait") ==
        std::vector<std::string>{"caf\xc3\xa9", "au", "lait"});
}

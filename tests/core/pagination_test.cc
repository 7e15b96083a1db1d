#include <doctest/doctest.h>

#include "taskcore/error.h"
#include "taskcore/pagination.h"

using namespace taskcore;

namespace {
FieldErrors errors_of(const QueryParams& params) {
  try {
    parse_page_request(params);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    return e.field_errors();
  }
  FAIL("expected a validation error");
  return {};
}
}  // namespace

TEST_CASE("page request defaults and clamping") {
  auto request = parse_page_request({});
  CHECK(request.page == 1);
  CHECK(request.page_size == 20);
  CHECK(request.offset() == 0);

  request = parse_page_request({{"page", "3"}, {"page_size", "500"}});
  CHECK(request.page == 3);
  CHECK(request.page_size == 100);
  CHECK(request.offset() == 200);

  request = parse_page_request({{"page_size", "1"}});
  CHECK(request.page_size == 1);

  request = parse_page_request({{"page", ""}, {"page_size", " "}});
  CHECK(request.page == 1);
  CHECK(request.page_size == 20);
}

TEST_CASE("invalid page parameters name the parameter") {
  CHECK(errors_of({{"page", "0"}}).count("page") == 1);
  CHECK(errors_of({{"page", "-2"}}).count("page") == 1);
  CHECK(errors_of({{"page", "abc"}}).count("page") == 1);
  CHECK(errors_of({{"page", "1.5"}}).count("page") == 1);
  CHECK(errors_of({{"page_size", "0"}}).count("page_size") == 1);
  CHECK(errors_of({{"page_size", "x"}}).count("page_size") == 1);
  CHECK(errors_of({{"page", "99999999999999999999999"}}).count("page") == 1);
  auto both = errors_of({{"page", "x"}, {"page_size", "y"}});
  CHECK(both.size() == 2);
}

TEST_CASE("huge page numbers do not overflow the offset") {
  auto request = parse_page_request({{"page", "9223372036854775807"}});
  CHECK(request.offset() > 0);
  CHECK_THROWS_AS(check_page_in_range(request, 10), Error);
}

TEST_CASE("page range: page 1 always valid, later pages must hold items") {
  CHECK_NOTHROW(check_page_in_range({1, 20}, 0));
  CHECK_NOTHROW(check_page_in_range({2, 20}, 21));
  try {
    check_page_in_range({2, 20}, 20);
    FAIL("expected not_found");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kNotFound);
    CHECK(std::string(e.what()) == "Invalid page.");
  }
}

TEST_CASE("page has_next / has_previous") {
  Page<int> page;
  page.items = {1, 2};
  page.count = 5;
  page.request = {2, 2};
  CHECK(page.has_next());
  CHECK(page.has_previous());
  page.request = {3, 2};
  page.items = {5};
  CHECK_FALSE(page.has_next());
}

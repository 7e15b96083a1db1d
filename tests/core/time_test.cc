#include <doctest/doctest.h>

#include "taskcore/time.h"

using namespace taskcore;

TEST_CASE("timestamps format as ISO-8601 UTC with milliseconds") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_timestamp(1759062896789) == "2025-09-28T12:34:56.789Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_timestamp(951782400000) == "2000-02-29T00:00:00.000Z");
}

TEST_CASE("dates parse strictly") {
  CHECK(parse_date("2024-02-29") == Date{2024, 2, 29});
  CHECK_FALSE(parse_date("2023-02-29"));
  CHECK_FALSE(parse_date("2025-13-01"));
  CHECK_FALSE(parse_date("2025-00-10"));
  CHECK_FALSE(parse_date("2025-1-01"));
  CHECK_FALSE(parse_date("2025-01-01T00:00"));
  CHECK_FALSE(parse_date(""));
  CHECK_FALSE(parse_date("abcd-ef-gh"));
  CHECK(format_date(Date{2025, 3, 7}) == "2025-03-07");
}

TEST_CASE("day arithmetic round-trips") {
  CHECK(days_from_date({1970, 1, 1}) == 0);
  CHECK(days_from_date({2000, 3, 1}) == 11017);
  for (std::int64_t d = -1000; d < 30000; d += 37)
    CHECK(days_from_date(date_from_days(d)) == d);
  CHECK(start_of_day({2025, 1, 1}) == 1735689600000);
  CHECK(end_of_day({2025, 1, 1}) == 1735689600000 + 86'400'000 - 1);
}

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "taskcore/export.h"

namespace taskcore {

// Milliseconds since the Unix epoch, UTC.
using Timestamp = std::int64_t;

// A calendar date (proleptic Gregorian), no time zone.
struct Date {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
  friend auto operator<=>(const Date&, const Date&) = default;
};

// "2025-09-28T12:34:56.789Z".
TASKCORE_EXPORT std::string format_timestamp(Timestamp ts);
// "2025-09-28".
TASKCORE_EXPORT std::string format_date(Date date);
// Strict "YYYY-MM-DD" with a real calendar day; nullopt otherwise.
TASKCORE_EXPORT std::optional<Date> parse_date(std::string_view text);
// ISO-8601 date and time in UTC: "YYYY-MM-DDTHH:MM:SS" with optional
// fractional seconds (milliseconds kept) and a "Z", "+00:00" or no suffix; a
// space may replace the "T". Nullopt otherwise.
TASKCORE_EXPORT std::optional<Timestamp> parse_timestamp(std::string_view text);
// Days since 1970-01-01 and back.
TASKCORE_EXPORT std::int64_t days_from_date(Date date);
TASKCORE_EXPORT Date date_from_days(std::int64_t days);
// First / last millisecond of a UTC day.
TASKCORE_EXPORT Timestamp start_of_day(Date date);
TASKCORE_EXPORT Timestamp end_of_day(Date date);

}  // namespace taskcore

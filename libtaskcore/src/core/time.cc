#include "taskcore/time.h"

#include <charconv>
#include <chrono>

#include "taskcore/clock.h"

namespace taskcore {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

// Howard Hinnant's civil-calendar algorithms (public domain).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m),
              static_cast<int>(d)};
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

void put_digits(std::string& out, std::int64_t value, int width) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  for (int pad = width - static_cast<int>(end - buf); pad > 0; --pad)
    out.push_back('0');
  out.append(buf, end);
}

int floor_mod_to_int(std::int64_t value, std::int64_t divisor) {
  return static_cast<int>(((value % divisor) + divisor) % divisor);
}

}  // namespace

std::string format_date(Date date) {
  std::string out;
  out.reserve(10);
  put_digits(out, date.year, 4);
  out.push_back('-');
  put_digits(out, date.month, 2);
  out.push_back('-');
  put_digits(out, date.day, 2);
  return out;
}

std::string format_timestamp(Timestamp ts) {
  std::int64_t days = ts >= 0 ? ts / kMsPerDay : -((-ts + kMsPerDay - 1) / kMsPerDay);
  const int ms_of_day = floor_mod_to_int(ts, kMsPerDay);
  std::string out = format_date(civil_from_days(days));
  out.reserve(24);
  out.push_back('T');
  put_digits(out, ms_of_day / 3'600'000, 2);
  out.push_back(':');
  put_digits(out, ms_of_day / 60'000 % 60, 2);
  out.push_back(':');
  put_digits(out, ms_of_day / 1000 % 60, 2);
  out.push_back('.');
  put_digits(out, ms_of_day % 1000, 3);
  out.push_back('Z');
  return out;
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> int {
    int value = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (d > days_in_month(y, m)) return std::nullopt;
  return Date{y, m, d};
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  if (text.size() < 19) return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  if (!date || (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
    return std::nullopt;
  if (text[13] != ':' || text[16] != ':') return std::nullopt;
  auto two_digits = [&](std::size_t pos) -> int {
    if (text[pos] < '0' || text[pos] > '9' || text[pos + 1] < '0' || text[pos + 1] > '9')
      return -1;
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
  };
  const int h = two_digits(11), m = two_digits(14), s = two_digits(17);
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return std::nullopt;
  std::size_t pos = 19;
  int ms = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) ms = ms * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (; digits < 3; ++digits) ms *= 10;
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00" && zone != "") return std::nullopt;
  return start_of_day(*date) + ((h * 60 + m) * 60 + s) * 1000 + ms;
}

std::int64_t days_from_date(Date date) {
  return days_from_civil(date.year, static_cast<unsigned>(date.month),
                         static_cast<unsigned>(date.day));
}

Date date_from_days(std::int64_t days) { return civil_from_days(days); }

Timestamp start_of_day(Date date) { return days_from_date(date) * kMsPerDay; }

Timestamp end_of_day(Date date) { return start_of_day(date) + kMsPerDay - 1; }

Timestamp SystemClock::now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

}  // namespace taskcore

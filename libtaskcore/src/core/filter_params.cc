#include "core/filter_params.h"

#include <algorithm>

#include "taskcore/task_filter.h"
#include "util/text.h"

namespace taskcore {
namespace {

constexpr std::string_view kInvalidUtf8 = "Invalid UTF-8 text.";

}  // namespace

std::vector<std::int64_t> read_ids(const QueryParams& params,
                                   const std::string& name,
                                   FieldErrorCollector& errors) {
  std::vector<std::int64_t> out;
  for (const auto& value : params.multi(name)) {
    auto id = util::parse_int64(value);
    if (!id) {
      errors.add(name, "Enter a whole number.");
      return {};
    }
    out.push_back(*id);
  }
  return out;
}

std::optional<Date> read_date(const QueryParams& params, const std::string& name,
                              FieldErrorCollector& errors) {
  const std::string* raw = params.last(name);
  if (raw == nullptr) return std::nullopt;
  const auto text = util::trim(*raw);
  if (text.empty()) return std::nullopt;
  auto date = parse_date(text);
  if (!date) errors.add(name, "Enter a valid date in the form YYYY-MM-DD.");
  return date;
}

DateRange read_date_range(const QueryParams& params, const std::string& start,
                          const std::string& end, FieldErrorCollector& errors) {
  DateRange range{read_date(params, start, errors), read_date(params, end, errors)};
  if (range.start && range.end && *range.start > *range.end) {
    const std::string message = start + " must not be after " + end + ".";
    errors.add(start, message);
    errors.add(end, message);
  }
  return range;
}

std::optional<std::string> read_search(const QueryParams& params,
                                       FieldErrorCollector& errors) {
  const std::string* raw = params.last("search");
  if (raw == nullptr) return std::nullopt;
  if (!util::is_valid_utf8(*raw)) {
    errors.add("search", std::string(kInvalidUtf8));
    return std::nullopt;
  }
  const auto text = util::trim(*raw);
  if (text.empty()) return std::nullopt;
  if (util::utf8_length(text) > kMaxSearchLength) {
    errors.add("search", "Ensure this value has at most 200 characters.");
    return std::nullopt;
  }
  return std::string(text);
}

std::vector<OrderingKey> read_ordering_keys(const QueryParams& params,
                                            std::span<const std::string_view> names,
                                            FieldErrorCollector& errors) {
  std::vector<OrderingKey> keys;
  for (const auto& item : params.multi("ordering")) {
    std::string_view name = item;
    const bool descending = !name.empty() && name.front() == '-';
    if (descending) name.remove_prefix(1);
    std::size_t index = 0;
    while (index < names.size() && names[index] != name) ++index;
    if (index == names.size()) {
      std::string choices;
      for (const auto known : names) {
        if (!choices.empty()) choices += ", ";
        choices += known;
      }
      const std::string shown = util::is_valid_utf8(item) ? item : "(invalid text)";
      errors.add("ordering", "Invalid ordering \"" + shown + "\". Choose from " + choices +
                                 ", optionally prefixed with '-'.");
      continue;
    }
    const bool seen = std::any_of(keys.begin(), keys.end(),
                                  [&](const OrderingKey& k) { return k.index == index; });
    if (!seen) keys.push_back({index, descending});
  }
  return keys;
}

std::optional<Timestamp> read_instant(const QueryParams& params, const char* name,
                                      bool end, FieldErrorCollector& errors) {
  const std::string* raw = params.last(name);
  if (raw == nullptr || util::trim(*raw).empty()) return std::nullopt;
  const std::string_view text = util::trim(*raw);
  if (const auto date = parse_date(text)) return end ? end_of_day(*date) : start_of_day(*date);
  if (const auto ts = parse_timestamp(text)) return *ts;
  errors.add(name, "Enter a valid date (YYYY-MM-DD) or date/time (ISO 8601, UTC).");
  return std::nullopt;
}

}  // namespace taskcore

#pragma once

// Readers of the query parameters that several list filters share, so
// every list words its errors the same way.

#include <cstdint>
#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/query_params.h"
#include "taskcore/time.h"
#include "util/text.h"

namespace taskcore {

// A multi filter of whole numbers ("Enter a whole number.").
std::vector<std::int64_t> read_ids(const QueryParams& params, const std::string& name,
                                   FieldErrorCollector& errors);
// A YYYY-MM-DD date; blank = absent.
std::optional<Date> read_date(const QueryParams& params, const std::string& name,
                              FieldErrorCollector& errors);
// `<start>` and `<end>`, inclusive YYYY-MM-DD dates; a start after the end
// is recorded on both.
struct DateRange {
  std::optional<Date> start;
  std::optional<Date> end;
};
DateRange read_date_range(const QueryParams& params, const std::string& start,
                          const std::string& end, FieldErrorCollector& errors);
// A date (its first millisecond, or with `end` its last: whole UTC days)
// or an ISO-8601 UTC timestamp; blank = absent.
std::optional<Timestamp> read_instant(const QueryParams& params, const char* name,
                                      bool end, FieldErrorCollector& errors);
// `search`: valid UTF-8, trimmed, at most kMaxSearchLength characters;
// blank = absent.
std::optional<std::string> read_search(const QueryParams& params,
                                       FieldErrorCollector& errors);

// A multi filter of choices parsed by `parse`, each once ("Select a valid
// choice. x is not one of the available choices.").
template <class Enum, class Parse>
std::vector<Enum> read_choices(const QueryParams& params, const std::string& name,
                               Parse parse, FieldErrorCollector& errors) {
  std::vector<Enum> out;
  for (const auto& value : params.multi(name)) {
    if (auto parsed = parse(value)) {
      if (std::find(out.begin(), out.end(), *parsed) == out.end())
        out.push_back(*parsed);
    } else {
      const std::string shown =
          util::is_valid_utf8(value) ? value : std::string("(invalid text)");
      errors.add(name, "Select a valid choice. " + shown +
                           " is not one of the available choices.");
    }
  }
  return out;
}

// One key of `ordering`: the index of its name in the caller's list.
struct OrderingKey {
  std::size_t index = 0;
  bool descending = false;
};
// `ordering` as a comma list or repeats of `names`, each optionally
// prefixed with '-'; a key given twice counts the first time. Unknown
// names are recorded ("Invalid ordering ...", listing `names`).
std::vector<OrderingKey> read_ordering_keys(const QueryParams& params,
                                            std::span<const std::string_view> names,
                                            FieldErrorCollector& errors);

}  // namespace taskcore

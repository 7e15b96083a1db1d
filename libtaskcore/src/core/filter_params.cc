#include "core/filter_params.h"

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

}  // namespace taskcore

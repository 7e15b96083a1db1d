#include "taskcore/audit.h"
#include "core/filter_params.h"
#include "taskcore/error.h"
#include "util/text.h"

namespace taskcore {
namespace {

constexpr std::size_t kMaxFilterText = 100;

}  // namespace

AuditFilter parse_audit_filter(const QueryParams& params) {
  FieldErrorCollector errors;
  AuditFilter filter;
  for (const std::string& value : params.multi("actor_id")) {
    const auto id = util::parse_int64(value);
    if (id && *id > 0) {
      filter.actor_ids.push_back(*id);
    } else {
      errors.add("actor_id", "A valid integer is required.");
    }
  }
  for (const std::string& value : params.multi("action")) {
    if (!util::is_valid_utf8(value) || value.size() > kMaxFilterText) {
      errors.add("action", "Enter a valid action name.");
    } else {
      filter.actions.push_back(value);
    }
  }
  if (const std::string* raw = params.last("target_type")) {
    const std::string_view text = util::trim(*raw);
    if (!util::is_valid_utf8(text) || text.size() > kMaxFilterText)
      errors.add("target_type", "Enter a valid target type.");
    else if (!text.empty())
      filter.target_type = std::string(text);
  }
  filter.start = read_instant(params, "start", false, errors);
  filter.end = read_instant(params, "end", true, errors);
  if (filter.start && filter.end && *filter.start > *filter.end) {
    errors.add("start", "start must not be after end.");
    errors.add("end", "start must not be after end.");
  }
  errors.throw_if_any("Invalid filter.");
  return filter;
}

}  // namespace taskcore

// A list's filter and its page request, read together so that every bad
// parameter of both is reported in one validation_error.
#include "taskcore/audit.h"
#include "taskcore/error.h"
#include "taskcore/media.h"
#include "taskcore/post.h"
#include "taskcore/task_filter.h"
#include "taskcore/user.h"

namespace taskcore {
namespace {

template <class Filter>
std::pair<Filter, PageRequest> parse_list(const QueryParams& params,
                                          Filter (*parse_filter)(const QueryParams&)) {
  FieldErrorCollector errors;
  std::string message;
  const auto collect = [&](const Error& e) {
    if (e.code() != ErrorCode::kValidationError) throw e;
    if (message.empty()) message = e.what();
    errors.merge(e.field_errors());
  };
  Filter filter{};
  PageRequest page;
  try {
    filter = parse_filter(params);
  } catch (const Error& e) {
    collect(e);
  }
  try {
    page = parse_page_request(params);
  } catch (const Error& e) {
    collect(e);
  }
  errors.throw_if_any(message);
  return {std::move(filter), page};
}

}  // namespace

MediaListQuery parse_media_list_query(const QueryParams& params) {
  auto [filter, page] = parse_list(params, parse_media_filter);
  return {std::move(filter), page};
}

PostListQuery parse_post_list_query(const QueryParams& params) {
  auto [filter, page] = parse_list(params, parse_post_filter);
  return {std::move(filter), page};
}

TaskListQuery parse_task_list_query(const QueryParams& params) {
  auto [filter, page] = parse_list(params, parse_task_filter);
  return {std::move(filter), page};
}

UserListQuery parse_user_list_query(const QueryParams& params) {
  auto [filter, page] = parse_list(params, parse_user_filter);
  return {std::move(filter), page};
}

AuditListQuery parse_audit_list_query(const QueryParams& params) {
  auto [filter, page] = parse_list(params, parse_audit_filter);
  return {std::move(filter), page};
}

}  // namespace taskcore

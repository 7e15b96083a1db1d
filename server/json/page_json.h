#pragma once

#include <utility>

#include "json/body.h"
#include "request_context.h"
#include "taskcore/pagination.h"

namespace taskcore::server {

// {count, next, previous, results}: next / previous are absolute URLs of
// this request with `page` replaced, or without it for page 1, as DRF's
// PageNumberPagination builds them.
Json page_envelope(const RequestContext& ctx, std::int64_t count,
                   const PageRequest& request, bool has_next,
                   bool has_previous, Json results);

// Reads a list's filter (with `parse_filter`) and its page request, so that
// bad filter and bad page parameters are reported as one validation_error.
template <class Filter>
std::pair<Filter, PageRequest> parse_list_query(
    const QueryParams& query, Filter (*parse_filter)(const QueryParams&)) {
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
    filter = parse_filter(query);
  } catch (const Error& e) {
    collect(e);
  }
  try {
    page = parse_page_request(query);
  } catch (const Error& e) {
    collect(e);
  }
  errors.throw_if_any(message);
  return {std::move(filter), page};
}

template <class T, class ToJson>
Json page_to_json(const RequestContext& ctx, const Page<T>& page,
                  ToJson&& to_json) {
  Json results = Json::array();
  for (const T& item : page.items) results.push_back(to_json(item));
  return page_envelope(ctx, page.count, page.request, page.has_next(),
                       page.has_previous(), std::move(results));
}

}  // namespace taskcore::server

#pragma once

#include <utility>

#include "json/body.h"
#include "json/writer.h"
#include "request_context.h"
#include "taskcore/pagination.h"

namespace taskcore::server {

// Writes {count, next, previous, results: [...]} and leaves the object
// open for members a list adds (filters_applied): next / previous are
// absolute URLs of this request with `page` replaced, or without it for
// page 1, as DRF's PageNumberPagination builds them.
void begin_page(JsonWriter& out, const RequestContext& ctx, std::int64_t count,
                const PageRequest& request, bool has_next, bool has_previous);

// The page body of `page`: each item written by write_item(out, item),
// then `extra` members (a JSON object, or null for none).
template <class T, class WriteItem>
std::string page_json_text(const RequestContext& ctx, const Page<T>& page,
                           WriteItem&& write_item, const Json& extra = nullptr) {
  JsonWriter out(1024 + page.items.size() * 512);
  begin_page(out, ctx, page.count, page.request, page.has_next(), page.has_previous());
  out.begin_array();
  for (const T& item : page.items) write_item(out, item);
  out.end_array();
  if (extra.is_object())
    for (const auto& [name, value] : extra.items()) out.key(name).raw(dump_json(value));
  out.end_object();
  return out.take();
}

}  // namespace taskcore::server

#include "json/page_json.h"

#include <string>

namespace taskcore::server {

void begin_page(JsonWriter& out, const RequestContext& ctx, std::int64_t count,
                const PageRequest& request, bool has_next, bool has_previous) {
  const std::string base = ctx.absolute_path_url();
  out.begin_object().key("count").number(count).key("next");
  if (has_next)
    out.string(url_with_param(base, ctx.query_items(), "page",
                              std::to_string(request.page + 1)));
  else
    out.null();
  out.key("previous");
  if (has_previous) {
    const auto page = request.page - 1;
    out.string(url_with_param(base, ctx.query_items(), "page",
                              page <= 1 ? std::nullopt
                                        : std::optional(std::to_string(page))));
  } else {
    out.null();
  }
  out.key("results");
}

}  // namespace taskcore::server

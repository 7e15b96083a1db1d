#include "json/page_json.h"

#include <string>

namespace taskcore::server {

Json page_envelope(const RequestContext& ctx, std::int64_t count,
                   const PageRequest& request, bool has_next,
                   bool has_previous, Json results) {
  const std::string base = ctx.absolute_path_url();
  Json next = nullptr;
  Json previous = nullptr;
  if (has_next)
    next = url_with_param(base, ctx.query_items(), "page",
                          std::to_string(request.page + 1));
  if (has_previous) {
    const auto page = request.page - 1;
    previous = url_with_param(base, ctx.query_items(), "page",
                              page <= 1 ? std::nullopt
                                        : std::optional(std::to_string(page)));
  }
  return Json{{"count", count},
              {"next", std::move(next)},
              {"previous", std::move(previous)},
              {"results", std::move(results)}};
}

}  // namespace taskcore::server

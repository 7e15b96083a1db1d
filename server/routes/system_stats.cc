#include <httplib.h>

#include "json/page_json.h"
#include "json/stats_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void list_stats(RequestContext& ctx) {
  const QueryParams params = ctx.query();
  const StatsFilter filter = parse_stats_filter(params);
  const PageRequest page_request = parse_page_request(params);
  const Page<SystemSample> page = ctx.core().stats().list(ctx.principal(), filter, page_request);
  ctx.send_json_text(200, page_json_text(ctx, page, write_sample,
                                         Json{{"filters_applied", stats_filters_applied(filter)}}));
}

void latest_stats(RequestContext& ctx) {
  const StatsFilter filter = parse_stats_filter(ctx.query());
  ctx.send_json(200, sample_json(ctx.core().stats().latest(ctx.principal(), filter.hostname)));
}

void aggregated_stats(RequestContext& ctx) {
  const StatsAggregateQuery query = parse_stats_aggregate_query(ctx.query());
  ctx.send_json(200, aggregate_json(ctx.core().stats().aggregated(ctx.principal(), query)));
}

}  // namespace

void add_system_stats_routes(Router& router) {
  router.add("GET", "/api/system/stats", Access::kAdmin, list_stats);
  router.add("GET", "/api/system/stats/latest", Access::kAdmin, latest_stats);
  router.add("GET", "/api/system/stats/aggregated", Access::kAdmin, aggregated_stats);
}

}  // namespace taskcore::server

#include <httplib.h>

#include "json/page_json.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

void write_entry(JsonWriter& out, const AuditEntry& entry) {
  out.begin_object().key("id").number(entry.id);
  out.key("timestamp").string(format_timestamp(entry.timestamp));
  out.key("actor_id").optional_number(entry.actor_id);
  out.key("action").string(entry.action);
  out.key("target_type").string(entry.target_type);
  out.key("target_id").optional_number(entry.target_id);
  // Written by the core as a JSON object; embedded as it is.
  out.key("details").raw(entry.details_json);
  out.key("ip").string(entry.ip);
  out.key("request_id").string(entry.request_id);
  out.end_object();
}

Json audit_filters_applied(const AuditFilter& filter) {
  Json applied = Json::object();
  if (!filter.actor_ids.empty()) applied["actor_id"] = filter.actor_ids;
  if (!filter.actions.empty()) applied["action"] = filter.actions;
  if (filter.target_type) applied["target_type"] = *filter.target_type;
  if (filter.start || filter.end) {
    const auto instant = [](const std::optional<Timestamp>& t) {
      return t ? Json(format_timestamp(*t)) : Json(nullptr);
    };
    applied["date_range"] = {{"start", instant(filter.start)}, {"end", instant(filter.end)}};
  }
  return applied;
}

void list_audit(RequestContext& ctx) {
  const AuditListQuery query = parse_audit_list_query(ctx.query());
  const Page<AuditEntry> page = ctx.core().audit().list(ctx.principal(), query.filter, query.page);
  ctx.send_json_text(200, page_json_text(ctx, page, write_entry,
                                         Json{{"filters_applied",
                                               audit_filters_applied(query.filter)}}));
}

}  // namespace

// Append-only: GET is the only method; every other one is 405.
void add_audit_routes(Router& router) {
  router.add("GET", "/api/admin/audit-log", Access::kAdmin, list_audit);
}

}  // namespace taskcore::server

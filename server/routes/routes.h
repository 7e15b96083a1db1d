#pragma once

#include "router.h"

namespace taskcore::server {

// Each adds one area of CONTRACT routes to the table.
void add_auth_routes(Router& router);         // §2: register, login, me
void add_task_routes(Router& router);         // §3: tasks CRUD and list
void add_task_bulk_routes(Router& router);    // §3: bulk update / delete
void add_admin_user_routes(Router& router);   // §5: /api/admin/users/
void add_audit_routes(Router& router);        // §5: /api/admin/audit-log/
void add_health_routes(Router& router);       // §5: /api/health/
void add_media_routes(Router& router);        // §4: /api/blog/media/
void add_media_upload_routes(Router& router); // §4: POST /api/blog/media/upload/
void add_post_routes(Router& router);         // §4: /api/blog/posts/
void add_realtime_routes(Router& router);     // §7: long-poll, presence, /socket.io/
void add_system_stats_routes(Router& router); // §6: /api/system/stats/
void add_metrics_routes(Router& router);      // §5: /api/admin/metrics/
void add_schema_routes(Router& router);       // /api/schema/: docs/openapi.json

inline void add_all_routes(Router& router) {
  add_auth_routes(router);
  add_task_routes(router);
  add_task_bulk_routes(router);
  add_admin_user_routes(router);
  add_audit_routes(router);
  add_health_routes(router);
  add_media_routes(router);
  add_media_upload_routes(router);
  add_post_routes(router);
  add_realtime_routes(router);
  add_system_stats_routes(router);
  add_metrics_routes(router);
  add_schema_routes(router);
}

}  // namespace taskcore::server

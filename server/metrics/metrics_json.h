#pragma once

// The body of GET /api/admin/metrics/ (docs/API.md, "Metrics and access
// logs").

#include "json/body.h"
#include "metrics/metrics_snapshot.h"

namespace taskcore::server {

Json metrics_json(const MetricsSnapshot& snapshot);

}  // namespace taskcore::server

#pragma once

// The Prometheus text exposition format (version 0.0.4) of a metrics
// snapshot: what GET /metrics on the metrics listener answers.

#include <string>
#include <string_view>

#include "metrics/metrics_snapshot.h"

namespace taskcore::server {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4";

std::string prometheus_text(const MetricsSnapshot& snapshot);

// A label value escaped as the format wants: backslash, double quote and
// line feed.
std::string prometheus_escape(std::string_view value);

}  // namespace taskcore::server

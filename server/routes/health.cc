#include <httplib.h>
#include <unistd.h>

#include <iostream>
#include <system_error>

#include "middleware/error_body.h"
#include "request_context.h"
#include "routes/routes.h"

namespace taskcore::server {
namespace {

bool media_dir_writable(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) &&
         ::access(dir.c_str(), W_OK | X_OK) == 0;
}

void health(RequestContext& ctx) {
  bool database_ok = true;
  try {
    ctx.core().store().check_health();
  } catch (const std::exception& e) {
    std::cerr << "taskcore-server: health: database: " << e.what() << std::endl;
    database_ok = false;
  }
  const bool storage_ok = media_dir_writable(ctx.env().config.media_dir);
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now() - ctx.env().started_at)
                          .count();
  const auto check = [](bool ok) { return ok ? "ok" : "error"; };
  Json checks = {{"database", check(database_ok)}, {"storage", check(storage_ok)}};
  if (database_ok && storage_ok) {
    ctx.send_json(200, Json{{"status", "ok"},
                            {"checks", std::move(checks)},
                            {"version", ctx.env().config.version},
                            {"uptime_s", uptime}});
    return;
  }
  // Both shapes at once: the §1.1 error body every non-2xx carries, plus
  // the health fields of §5 a monitor reads.
  ErrorDetails details;
  details["database"] = std::string(check(database_ok));
  details["storage"] = std::string(check(storage_ok));
  write_error(ctx.core().clock(),
              Error(ErrorCode::kServiceUnavailable, "Service unavailable.", {},
                    std::move(details)),
              ctx.res());
  Json body = Json::parse(ctx.res().body);
  body["status"] = "error";
  body["checks"] = std::move(checks);
  body["version"] = ctx.env().config.version;
  body["uptime_s"] = uptime;
  ctx.send_json(503, body);
}

}  // namespace

void add_health_routes(Router& router) {
  router.add("GET", "/api/health", Access::kPublic, health, Limit::kExempt);
}

}  // namespace taskcore::server

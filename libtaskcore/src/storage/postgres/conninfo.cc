#include "storage/postgres/conninfo.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>

namespace taskcore::postgres {
namespace {

std::string find(const ConnectSettings& settings, std::string_view key) {
  for (const auto& [k, v] : settings.parameters)
    if (k == key) return v;
  return {};
}

void set_default(ConnectSettings& settings, const std::string& key, std::string value) {
  for (const auto& [k, v] : settings.parameters)
    if (k == key) return;
  settings.parameters.emplace_back(key, std::move(value));
}

}  // namespace

ConnectSettings make_connect_settings(const PostgresOptions& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.uri.c_str(), &error);
  if (parsed == nullptr) {
    // libpq's message may quote the URI, password included: not repeated.
    PQfreemem(error);
    throw Error(ErrorCode::kServiceUnavailable,
                "Invalid PostgreSQL URI: libpq cannot parse it (expected "
                "postgresql://user:password@host:port/database?param=value).");
  }
  ConnectSettings settings;
  for (PQconninfoOption* option = parsed; option->keyword != nullptr; ++option)
    if (option->val != nullptr && *option->val != '\0')
      settings.parameters.emplace_back(option->keyword, option->val);
  PQconninfoFree(parsed);

  settings.connect_timeout = std::chrono::milliseconds(std::max(100, options.connect_timeout_ms));
  // The URI's own connect_timeout (seconds) wins, as documented.
  if (const std::string given = find(settings, "connect_timeout"); !given.empty()) {
    const int seconds = std::atoi(given.c_str());
    if (seconds > 0) settings.connect_timeout = std::chrono::seconds(std::max(2, seconds));
  }
  const int statement_ms = std::max(100, options.statement_timeout_ms);
  settings.reply_timeout = std::chrono::milliseconds(statement_ms + 2000);
  // libpq's own timeout is per host address and whole seconds; ours (the
  // poll deadline) bounds the whole attempt.
  set_default(settings, "connect_timeout",
              std::to_string(std::max(2, (options.connect_timeout_ms + 999) / 1000)));
  set_default(settings, "application_name", "taskcore");
  set_default(settings, "client_encoding", "UTF8");
  set_default(settings, "keepalives", "1");
  set_default(settings, "keepalives_idle", "30");
  set_default(settings, "keepalives_interval", "10");
  set_default(settings, "keepalives_count", "3");
  // Ours first: a -c the URI's own options repeat wins.
  std::string server_options = "-c statement_timeout=" + std::to_string(statement_ms) +
                               " -c idle_in_transaction_session_timeout=" +
                               std::to_string(std::max(60000, 2 * statement_ms)) +
                               " -c DateStyle=ISO -c TimeZone=UTC";
  auto existing = std::find_if(settings.parameters.begin(), settings.parameters.end(),
                               [](const auto& p) { return p.first == "options"; });
  if (existing != settings.parameters.end()) {
    existing->second = server_options + " " + existing->second;
  } else {
    settings.parameters.emplace_back("options", std::move(server_options));
  }
  return settings;
}

std::string describe_target(const ConnectSettings& settings) {
  std::string host = find(settings, "host");
  if (host.empty()) host = find(settings, "hostaddr");
  if (host.empty()) host = "(local socket)";
  std::string port = find(settings, "port");
  std::string out = host;
  if (!port.empty()) out += ":" + port;
  const std::string db = find(settings, "dbname");
  if (!db.empty()) out += "/" + db;
  return out;
}

}  // namespace taskcore::postgres

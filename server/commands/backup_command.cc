#include "commands/backup_command.h"

#include <libpq-fe.h>

#include <chrono>
#include <ostream>

#include "taskcore/backup.h"
#include "taskcore/error.h"
#include "taskcore/open_store.h"
#include "taskcore/postgres_store.h"

namespace taskcore::server {
namespace {

using Clock = std::chrono::steady_clock;

// Progress at most once a second: a large copy stays readable.
class Throttle {
 public:
  bool due() {
    const auto now = Clock::now();
    if (now - last_ < std::chrono::seconds(1)) return false;
    last_ = now;
    return true;
  }

 private:
  Clock::time_point last_ = Clock::now();
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::string uri_without_password(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return "<your PostgreSQL URI>";  // never echo what we cannot parse
  }
  // Rebuilt as a URI with its parameters in the query string.
  std::string host, port, dbname, user, query;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const std::string key = o->keyword, value = o->val;
    if (key == "password") continue;
    if (key == "host") host = value;
    else if (key == "port") port = value;
    else if (key == "dbname") dbname = value;
    else if (key == "user") user = value;
    else query += (query.empty() ? "?" : "&") + key + "=" + value;
  }
  PQconninfoFree(options);
  std::string out = "postgresql://";
  if (!user.empty()) out += user + "@";
  out += host;
  if (!port.empty()) out += ":" + port;
  return out + "/" + dbname + query;
}

int run_backup(const BackupTargets& targets, const std::string& to, std::ostream& out,
               std::ostream& err) {
  const bool postgres = is_postgres_uri(targets.db);
  BackupOptions options;
  if (!postgres) options.sqlite_path = targets.db;
  options.media_dir = targets.media_dir.string();
  Throttle throttle;
  options.on_db_progress = [&](std::int64_t done, std::int64_t total) {
    if (throttle.due()) err << "backup: database " << done << "/" << total << " pages\n";
  };
  options.on_media_progress = [&](std::size_t done, std::size_t total) {
    if (throttle.due()) err << "backup: media " << done << "/" << total << " files\n";
  };
  const auto start = Clock::now();
  const BackupResult result = create_backup(to, options);
  for (const auto& name : result.missing_media)
    err << "backup: warning: media file " << name
        << " was deleted before it could be copied (its row was deleted after the snapshot)\n";
  out << "backup written to " << to << ": database " << result.database_bytes << " bytes, "
      << result.media_files << " media files (" << result.media_bytes << " bytes) in "
      << seconds_since(start) << " s\n";
  if (postgres)
    err << "backup: the database is PostgreSQL; only the media were copied. Dump the database "
           "with\n  pg_dump --format=custom --file "
        << shell_quote(to + "/taskcore.pgdump") << " " << shell_quote(uri_without_password(targets.db))
        << "\n(the password comes from PGPASSWORD or ~/.pgpass)\n";
  return 0;
}

int run_restore(const BackupTargets& targets, const std::string& from, std::ostream& out,
                std::ostream& err) {
  const bool postgres = is_postgres_uri(targets.db);
  RestoreOptions options;
  if (!postgres) options.sqlite_path = targets.db;
  options.media_dir = targets.media_dir.string();
  Throttle throttle;
  options.on_progress = [&](std::size_t done, std::size_t total) {
    if (throttle.due()) err << "restore: " << done << "/" << total << " files\n";
  };
  const auto start = Clock::now();
  const RestoreResult result = restore_backup(from, options);
  out << "restored from " << from << ": database " << result.database_bytes << " bytes, "
      << result.media_files << " media files (" << result.media_bytes << " bytes) in "
      << seconds_since(start) << " s\n";
  if (postgres)
    err << "restore: the database is PostgreSQL; only the media were restored. Restore the "
           "database into an empty one with\n  pg_restore --no-owner --dbname "
        << shell_quote(uri_without_password(targets.db)) << " "
        << shell_quote(from + "/taskcore.pgdump") << "\n";
  return 0;
}

}  // namespace taskcore::server

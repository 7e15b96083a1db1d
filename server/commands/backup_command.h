#pragma once

// `taskcore-server backup --to DIR` and `restore --from DIR`: the CLI over
// taskcore/backup.h. Progress and guidance go to stderr, the summary to
// stdout; the return value is the process exit code.

#include <filesystem>
#include <iosfwd>
#include <string>

namespace taskcore::server {

struct BackupTargets {
  std::string db;  // SQLite path or postgres(ql):// URI
  std::filesystem::path media_dir;
};

int run_backup(const BackupTargets& targets, const std::string& to, std::ostream& out,
               std::ostream& err);
int run_restore(const BackupTargets& targets, const std::string& from, std::ostream& out,
                std::ostream& err);

// `uri` without its password (userinfo or a password= parameter), for
// printing; libpq parses it, so every form it accepts is handled.
std::string uri_without_password(const std::string& uri);

}  // namespace taskcore::server

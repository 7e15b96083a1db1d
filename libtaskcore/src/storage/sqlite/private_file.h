#pragma once

// The database file is private to its owner: it holds password hashes and
// the token signing key. SQLite gives the -wal and -shm files it creates
// the main file's mode, so a main file created 0600 keeps all three
// private whatever the process umask.

#include <string>
#include <vector>

namespace taskcore::sqlite {

// Creates the database file at `path`, empty and mode 0600, when it does
// not exist; an existing file is left as it is. No-op for ":memory:", ""
// and "file:" URIs. Throws Error(kInternalError) when it cannot.
void create_private_file_if_missing(const std::string& path);

// Those of `path`, `path`-wal and `path`-shm that exist and grant group or
// others any permission.
std::vector<std::string> files_shared_with_others(const std::string& path);

}  // namespace taskcore::sqlite

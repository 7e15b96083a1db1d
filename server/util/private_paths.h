#pragma once

// Files and directories only the server's user may read: the database
// holds password hashes and the token signing key, media holds uploads.

#include <filesystem>
#include <string>

namespace taskcore::server {

// Creates `dir` and its missing parents with mode 0700, whatever the
// umask. Directories that exist are left as they are.
void create_private_directories(const std::filesystem::path& dir);

// True when group or others have any permission on an existing `path`.
bool shared_with_others(const std::filesystem::path& path);

// The contents of a secret file without trailing whitespace. Throws
// std::runtime_error when it cannot be read, or when others may read it
// and `allow_shared` is false.
std::string read_secret_file(const std::filesystem::path& path, bool allow_shared);

}  // namespace taskcore::server

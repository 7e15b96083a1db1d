#include "util/private_paths.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace taskcore::server {

void create_private_directories(const std::filesystem::path& dir) {
  std::filesystem::path prefix;
  for (const auto& part : dir) {
    prefix /= part;
    if (::mkdir(prefix.c_str(), 0700) == 0) {
      ::chmod(prefix.c_str(), 0700);  // the umask may have taken bits away
    } else if (errno != EEXIST) {
      throw std::runtime_error("cannot create " + prefix.string() + ": " + std::strerror(errno));
    }
  }
}

bool shared_with_others(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0;
}

std::string read_secret_file(const std::filesystem::path& path, bool allow_shared) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  if (!allow_shared && shared_with_others(path))
    throw std::runtime_error(path.string() +
                             " may be read by other users; chmod 600 it (or pass "
                             "--allow-shared-files)");
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string secret = contents.str();
  while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back())))
    secret.pop_back();
  return secret;
}

}  // namespace taskcore::server

#include "storage/sqlite/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "taskcore/error.h"
#include "taskcore/sqlite_store.h"

namespace taskcore::sqlite {
namespace {

bool names_a_file(const std::string& path) {
  return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

}  // namespace

void create_private_file_if_missing(const std::string& path) {
  if (!names_a_file(path)) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;
    // No path in the message: it may reach an HTTP client's log.
    throw Error::internal("Cannot create the database file.");
  }
  // The umask can only take bits away from 0600, but it may take the
  // owner's own (umask 0277): set exactly 0600.
  const bool ok = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  if (!ok) throw Error::internal("Cannot set the database file's mode.");
}

std::vector<std::string> files_shared_with_others(const std::string& path) {
  std::vector<std::string> shared;
  if (!names_a_file(path)) return shared;
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    struct stat info {};
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) shared.push_back(file);
  }
  return shared;
}

}  // namespace taskcore::sqlite

namespace taskcore {

std::vector<std::string> sqlite_files_shared_with_others(const std::string& path) {
  return sqlite::files_shared_with_others(path);
}

}  // namespace taskcore

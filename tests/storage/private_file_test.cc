// The database holds password hashes and the token signing key: it is
// created readable by its owner only, whatever the umask.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "support/fixtures.h"
#include "taskcore/sqlite_store.h"

using namespace taskcore;
using taskcore::testing::TempDir;

namespace {

int mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}

// Sets the process umask for the scope of a test.
class Umask {
 public:
  explicit Umask(mode_t mask) : saved_(::umask(mask)) {}
  ~Umask() { ::umask(saved_); }

 private:
  mode_t saved_;
};

}  // namespace

TEST_CASE("a new database and its -wal and -shm are 0600 whatever the umask") {
  for (const mode_t mask : {mode_t{0}, mode_t{022}, mode_t{0277}}) {
    CAPTURE(mask);
    TempDir dir;
    const std::string path = dir.file("private.db");
    {
      const Umask umask(mask);
      SqliteOptions options;
      options.path = path;
      auto store = open_sqlite_store(options);
      // A write: WAL and shm exist.
      store->write([](Transaction& tx) { tx.settings().insert_if_absent("probe", "value"); });
      CHECK(mode_of(path) == 0600);
      CHECK(mode_of(path + "-wal") == 0600);
      CHECK(mode_of(path + "-shm") == 0600);
    }
    CHECK(sqlite_files_shared_with_others(path).empty());
  }
}

TEST_CASE("an existing database keeps its mode and is reported when shared") {
  TempDir dir;
  const std::string path = dir.file("shared.db");
  std::ofstream(path).close();
  ::chmod(path.c_str(), 0644);
  { open_sqlite_store(SqliteOptions{path}); }
  CHECK(mode_of(path) == 0644);  // the library changes no existing file
  const auto shared = sqlite_files_shared_with_others(path);
  REQUIRE_FALSE(shared.empty());
  CHECK(shared.front() == path);

  ::chmod(path.c_str(), 0600);
  std::filesystem::remove(path + "-shm");
  std::ofstream(path + "-wal").close();
  ::chmod((path + "-wal").c_str(), 0660);
  CHECK(sqlite_files_shared_with_others(path) == std::vector<std::string>{path + "-wal"});
  ::chmod((path + "-wal").c_str(), 0600);
  CHECK(sqlite_files_shared_with_others(path).empty());

  CHECK(sqlite_files_shared_with_others(":memory:").empty());
  CHECK(sqlite_files_shared_with_others(dir.file("missing.db")).empty());
}

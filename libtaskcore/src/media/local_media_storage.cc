// MediaStorage over one local directory. Durability order of a put: the
// temporary's bytes are fsynced, it is renamed into place, then the
// directory is fsynced so the rename itself survives a crash. Only then
// may the row that names the file commit.

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/media_storage.h"
#include "util/file_descriptor.h"

namespace taskcore {
namespace {

constexpr std::string_view kTemporaryPrefix = ".tmp-";

bool is_safe_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name.front() == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

[[noreturn]] void fail(const char* what) {
  throw Error::internal(std::string("Media storage failed to ") + what + ".");
}

using util::FileDescriptor;
using util::write_all;

class LocalReader final : public MediaReader {
 public:
  LocalReader(int fd, std::int64_t size) : fd_(fd), size_(size) {}
  std::int64_t size() const override { return size_; }
  std::size_t read_at(std::int64_t offset, std::span<std::byte> out) override {
    for (;;) {
      const ssize_t n = ::pread(fd_.get(), out.data(), out.size(), offset);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("read a file");
      return static_cast<std::size_t>(n);
    }
  }

 private:
  FileDescriptor fd_;
  std::int64_t size_;
};

Timestamp modified_ms(const struct stat& st) {
  return static_cast<Timestamp>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

class LocalMediaStorage final : public MediaStorage {
 public:
  explicit LocalMediaStorage(std::string directory) : dir_(std::move(directory)) {
    std::error_code error;
    std::filesystem::create_directories(dir_, error);
    if (error) fail("create its directory");
    ::chmod(dir_.c_str(), 0700);
  }

  void put(const std::string& name, const std::string& source_path) override {
    check_name(name);
    const std::string temporary = dir_ + "/" + std::string(kTemporaryPrefix) + name;
    FileDescriptor source(::open(source_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (source.get() < 0) fail("read an upload");
    FileDescriptor out(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.get() < 0) fail("create a file");
    bool ok = true;
    std::vector<char> buffer(64 * 1024);
    for (;;) {
      const ssize_t n = ::read(source.get(), buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) ok = false;
      if (n <= 0) break;
      if (!write_all(out.get(), buffer.data(), static_cast<std::size_t>(n))) {
        ok = false;
        break;
      }
    }
    ok = ok && ::fsync(out.get()) == 0;
    ok = out.close() && ok;
    // RENAME_NOREPLACE semantics via link(): a name is never overwritten.
    ok = ok && ::link(temporary.c_str(), path_of(name).c_str()) == 0;
    ::unlink(temporary.c_str());
    if (!ok) fail("store a file");
    sync_directory();
  }

  std::unique_ptr<MediaReader> open(const std::string& name) override {
    if (!is_safe_name(name)) return nullptr;
    const int fd = ::open(path_of(name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
      if (errno == ENOENT) return nullptr;
      fail("open a file");
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return nullptr;
    }
    return std::make_unique<LocalReader>(fd, static_cast<std::int64_t>(st.st_size));
  }

  void remove(const std::string& name) override {
    check_name(name);
    if (::unlink(path_of(name).c_str()) != 0 && errno != ENOENT) fail("remove a file");
    sync_directory();
  }

  std::vector<StoredObject> list() override {
    std::vector<StoredObject> objects;
    for_each_entry([&](const std::string& name, const struct stat& st) {
      if (is_safe_name(name)) objects.push_back({name, modified_ms(st)});
    });
    return objects;
  }

  std::size_t remove_stale_temporaries(Timestamp before) override {
    std::size_t removed = 0;
    for_each_entry([&](const std::string& name, const struct stat& st) {
      if (name.starts_with(kTemporaryPrefix) && modified_ms(st) < before &&
          ::unlink((dir_ + "/" + name).c_str()) == 0)
        ++removed;
    });
    return removed;
  }

 private:
  static void check_name(const std::string& name) {
    if (!is_safe_name(name)) throw Error::internal("Invalid media storage name.");
  }

  std::string path_of(const std::string& name) const { return dir_ + "/" + name; }

  void sync_directory() const {
    FileDescriptor dir(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0) fail("sync its directory");
  }

  template <class Visit>
  void for_each_entry(Visit visit) const {
    DIR* dir = ::opendir(dir_.c_str());
    if (dir == nullptr) fail("list its directory");
    while (const dirent* entry = ::readdir(dir)) {
      const std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      struct stat st {};
      if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISREG(st.st_mode))
        visit(name, st);
    }
    ::closedir(dir);
  }

  std::string dir_;
};

}  // namespace

std::shared_ptr<MediaStorage> open_local_media_storage(const std::string& directory) {
  return std::make_shared<LocalMediaStorage>(directory);
}

}  // namespace taskcore

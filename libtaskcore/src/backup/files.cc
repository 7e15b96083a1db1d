#include "backup/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "taskcore/error.h"
#include "util/file_descriptor.h"

namespace taskcore::backup {
namespace {

constexpr std::size_t kChunk = 256 * 1024;

[[noreturn]] void fail(const char* what) {
  throw Error::internal(std::string("Backup failed to ") + what + ".");
}

using util::FileDescriptor;
using util::write_all;

class Sha256 {
 public:
  Sha256() {
    if (sodium_init() < 0) fail("start libsodium");
    crypto_hash_sha256_init(&state_);
  }
  void update(const char* data, std::size_t size) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(data), size);
  }
  std::string hex() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, digest);
    char text[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(text, sizeof text, digest, sizeof digest);
    return text;
  }

 private:
  crypto_hash_sha256_state state_{};
};

ssize_t read_some(int fd, char* buffer, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd, buffer, size);
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

FileDigest digest_fd(int fd) {
  Sha256 hash;
  FileDigest digest;
  std::vector<char> buffer(kChunk);
  for (;;) {
    const ssize_t n = read_some(fd, buffer.data(), buffer.size());
    if (n < 0) fail("read a file");
    if (n == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(n));
    digest.size += n;
  }
  digest.sha256 = hash.hex();
  return digest;
}

// Opens a regular file for reading; -1 with errno ENOENT when it is gone.
int open_regular(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return -1;
    fail("open a file");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail("read a file that is not a regular file");
  }
  return fd;
}

}  // namespace

DirState dir_state(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return DirState::kAbsent;
    fail("inspect a directory");
  }
  if (!S_ISDIR(st.st_mode)) return DirState::kNotDirectory;
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) fail("list a directory");
  DirState state = DirState::kEmpty;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      state = DirState::kNotEmpty;
      break;
    }
  }
  ::closedir(dir);
  return state;
}

std::optional<FileDigest> digest_file(const std::string& path) {
  FileDescriptor fd(open_regular(path));
  if (fd.get() < 0) return std::nullopt;
  return digest_fd(fd.get());
}

std::optional<FileDigest> copy_file_verified(const std::string& from, const std::string& to) {
  FileDescriptor source(open_regular(from));
  if (source.get() < 0) return std::nullopt;
  FileDescriptor out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (out.get() < 0) fail("create a file");
  // The umask may have taken the owner's own bits.
  if (::fchmod(out.get(), 0600) != 0) fail("set a file's mode");
  Sha256 hash;
  FileDigest digest;
  std::vector<char> buffer(kChunk);
  for (;;) {
    const ssize_t n = read_some(source.get(), buffer.data(), buffer.size());
    if (n < 0) fail("read a file");
    if (n == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(n));
    if (!write_all(out.get(), buffer.data(), static_cast<std::size_t>(n))) fail("write a file");
    digest.size += n;
  }
  if (::fsync(out.get()) != 0 || !out.close()) fail("write a file");
  digest.sha256 = hash.hex();
  const auto written = digest_file(to);
  if (!written || written->sha256 != digest.sha256 || written->size != digest.size)
    fail("verify a copied file");
  return digest;
}

void make_private_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0) {
    if (errno == EEXIST && dir_state(path) != DirState::kNotDirectory) return;
    fail("create a directory");
  }
  if (::chmod(path.c_str(), 0700) != 0) fail("set a directory's mode");
}

void make_private_parents(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::filesystem::path partial;
  for (const auto& part : parent) {
    partial /= part;
    if (part == "/" || part.empty()) continue;
    make_private_dir(partial.string());
  }
}

std::string make_staging_dir(const std::string& final_path, const std::string& tag) {
  std::filesystem::path target(final_path);
  // "dir/" names the same directory as "dir".
  if (target.filename().empty()) target = target.parent_path();
  std::filesystem::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  std::string pattern =
      (parent / ("." + target.filename().string() + "." + tag + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) fail("create a temporary directory");
  if (::chmod(pattern.c_str(), 0700) != 0) fail("set a directory's mode");
  return pattern;
}

void sync_path(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) fail("sync a file");
}

std::vector<std::string> list_media_names(const std::string& dir_path) {
  std::vector<std::string> names;
  DIR* dir = ::opendir(dir_path.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) return names;
    fail("list the media directory");
  }
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    struct stat st {};
    if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISREG(st.st_mode))
      names.emplace_back(entry->d_name);
  }
  ::closedir(dir);
  return names;
}

void remove_tree(const std::string& path) noexcept {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

}  // namespace taskcore::backup

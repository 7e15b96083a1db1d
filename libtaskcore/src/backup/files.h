#pragma once

// The file operations backup and restore share: private directories,
// copies checked by SHA-256, and the fsyncs that make a rename durable.
// Failures throw Error(kInternalError) with a message that names no path.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskcore::backup {

struct FileDigest {
  std::int64_t size = 0;
  std::string sha256;  // lowercase hex
};

enum class DirState { kAbsent, kEmpty, kNotEmpty, kNotDirectory };

DirState dir_state(const std::string& path);

// The digest of the file at `path`; nullopt when it does not exist.
std::optional<FileDigest> digest_file(const std::string& path);

// Copies `from` to the new file `to` (created 0600, never overwritten),
// fsyncs it, then reads the copy back and checks it hashes like what was
// read: a short write or a filesystem that mangles bytes is caught here,
// not at restore time. nullopt when `from` does not exist (a media file
// deleted meanwhile).
std::optional<FileDigest> copy_file_verified(const std::string& from, const std::string& to);

// mkdir with mode 0700 whatever the umask; parents must exist. An existing
// directory is left alone.
void make_private_dir(const std::string& path);

// Creates `path`'s missing ancestors (not `path`) 0700.
void make_private_parents(const std::string& path);

// A new 0700 directory next to `final_path`, named ".<name>.<tag>-XXXXXX".
std::string make_staging_dir(const std::string& final_path, const std::string& tag);

// fsync of a file or directory, so its contents (or its entries) survive a
// crash.
void sync_path(const std::string& path);

// The regular files of `dir` whose names LocalMediaStorage could have
// written (no dot files: its temporaries start with ".tmp-"). Empty when
// `dir` does not exist.
std::vector<std::string> list_media_names(const std::string& dir);

// Removes `path` and everything below it; for cleaning up after a failure,
// so it never throws.
void remove_tree(const std::string& path) noexcept;

// Deletes a staging directory when a backup or restore fails part way.
class StagingGuard {
 public:
  explicit StagingGuard(std::string path) : path_(std::move(path)) {}
  ~StagingGuard() {
    if (!path_.empty()) remove_tree(path_);
  }
  StagingGuard(const StagingGuard&) = delete;
  StagingGuard& operator=(const StagingGuard&) = delete;
  void release() { path_.clear(); }

 private:
  std::string path_;
};

}  // namespace taskcore::backup

// create_backup: media first, then the database snapshot, then the media
// the snapshot names that the first pass did not see (see backup.h for
// why this order leaves no silent gap).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "backup/files.h"
#include "backup/manifest.h"
#include "backup/sqlite_snapshot.h"
#include "taskcore/backup.h"
#include "taskcore/error.h"
#include "taskcore/time.h"

namespace taskcore {
namespace {

using backup::DirState;

void write_private_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  if (fd >= 0) ok = ::close(fd) == 0 && ok;
  if (!ok) throw Error::internal("Backup failed to write the manifest.");
}

void check_target(const std::string& directory) {
  const DirState state = backup::dir_state(directory);
  if (state == DirState::kNotEmpty || state == DirState::kNotDirectory)
    throw Error::conflict("The backup directory exists and is not empty.");
}

class MediaCopier {
 public:
  MediaCopier(std::string from, std::string to, const BackupOptions& options)
      : from_(std::move(from)), to_(std::move(to)), options_(options) {}

  // Copies `name` unless already copied; false when the source is gone.
  bool copy(const std::string& name, std::size_t known) {
    if (copied_.count(name)) return true;
    const auto digest = backup::copy_file_verified(from_ + "/" + name, to_ + "/" + name);
    if (!digest) return false;
    copied_.emplace(name, *digest);
    if (options_.on_media_progress) options_.on_media_progress(copied_.size(), known);
    return true;
  }

  // Drops the copies no snapshot row names.
  void keep_only(const std::set<std::string>& wanted) {
    for (auto it = copied_.begin(); it != copied_.end();) {
      if (wanted.count(it->first)) {
        ++it;
        continue;
      }
      if (::unlink((to_ + "/" + it->first).c_str()) != 0)
        throw Error::internal("Backup failed to remove a file.");
      it = copied_.erase(it);
    }
  }

  const std::map<std::string, backup::FileDigest>& copied() const { return copied_; }

 private:
  std::string from_, to_;
  const BackupOptions& options_;
  std::map<std::string, backup::FileDigest> copied_;
};

}  // namespace

BackupResult create_backup(const std::string& directory, const BackupOptions& options) {
  check_target(directory);
  const std::string staging = backup::make_staging_dir(directory, "partial");
  backup::StagingGuard guard(staging);
  const std::string media_out = staging + "/" + kBackupMediaDir;
  backup::make_private_dir(media_out);

  BackupResult result;
  backup::Manifest manifest;
  MediaCopier media(options.media_dir, media_out, options);
  if (!options.media_dir.empty()) {
    const auto names = backup::list_media_names(options.media_dir);
    // A file listed here and deleted before its copy was deleted before the
    // snapshot too, so no row in it names the file: skip it.
    for (const auto& name : names) media.copy(name, names.size());
  }

  if (!options.sqlite_path.empty()) {
    const std::string db_out = staging + "/" + kBackupDatabaseFile;
    const auto named = backup::snapshot_sqlite(options.sqlite_path, db_out, options);
    const std::set<std::string> wanted(named.begin(), named.end());
    if (!options.media_dir.empty()) {
      for (const auto& name : wanted)
        if (!media.copy(name, wanted.size())) result.missing_media.push_back(name);
      media.keep_only(wanted);
    } else {
      result.missing_media.assign(wanted.begin(), wanted.end());
    }
    manifest.database = backup::digest_file(db_out);
    if (!manifest.database) throw Error::internal("Backup failed to copy the database.");
    result.database_bytes = manifest.database->size;
  }

  manifest.taskcore_version = backup::library_version();
  const auto clock = options.clock ? options.clock : std::make_shared<SystemClock>();
  manifest.created_at = format_timestamp(clock->now());
  manifest.media = media.copied();
  manifest.missing_media = result.missing_media;
  for (const auto& [name, digest] : manifest.media) {
    ++result.media_files;
    result.media_bytes += digest.size;
  }
  write_private_file(staging + "/" + kBackupManifestFile, backup::encode_manifest(manifest));
  backup::sync_path(media_out);
  backup::sync_path(staging);

  // rename(2) replaces an empty directory atomically; check once more that
  // nobody filled it meanwhile (rename would fail on a non-empty one anyway).
  check_target(directory);
  if (std::rename(staging.c_str(), directory.c_str()) != 0)
    throw Error::internal("Backup failed to move the backup into place.");
  guard.release();
  std::string parent = std::filesystem::path(directory).parent_path().string();
  backup::sync_path(parent.empty() ? "." : parent);
  return result;
}

}  // namespace taskcore

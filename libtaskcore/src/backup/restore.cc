// restore_backup: every file is copied to a temporary name beside its
// target and checked against the manifest; only then are they moved into
// place, media first and the database last.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backup/files.h"
#include "backup/manifest.h"
#include "taskcore/backup.h"
#include "taskcore/error.h"

namespace taskcore {
namespace {

using backup::DirState;

bool file_has_data(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > 0);
}

void check_targets(const RestoreOptions& options) {
  if (!options.sqlite_path.empty())
    for (const auto& file : {options.sqlite_path, options.sqlite_path + "-wal",
                             options.sqlite_path + "-shm"})
      if (file_has_data(file))
        throw Error::conflict("The database to restore into already exists; refusing to overwrite it.");
  if (!options.media_dir.empty()) {
    const DirState state = backup::dir_state(options.media_dir);
    if (state == DirState::kNotEmpty || state == DirState::kNotDirectory)
      throw Error::conflict("The media directory to restore into is not empty.");
  }
}

backup::Manifest read_manifest(const std::string& directory) {
  std::ifstream in(directory + "/" + kBackupManifestFile, std::ios::binary);
  if (!in) throw Error::validation({}, "The backup has no readable manifest.json.");
  std::ostringstream text;
  text << in.rdbuf();
  return backup::decode_manifest(text.str());
}

void copy_checked(const std::string& from, const std::string& to,
                  const backup::FileDigest& expected) {
  const auto digest = backup::copy_file_verified(from, to);
  if (!digest) throw Error::validation({}, "A file the manifest lists is missing from the backup.");
  if (digest->size != expected.size || digest->sha256 != expected.sha256)
    throw Error::validation({}, "A file of the backup does not match its manifest.");
}

}  // namespace

RestoreResult restore_backup(const std::string& directory, const RestoreOptions& options) {
  if (backup::dir_state(directory) == DirState::kAbsent)
    throw Error::not_found("The backup directory does not exist.");
  const backup::Manifest manifest = read_manifest(directory);
  if (!options.sqlite_path.empty() && !manifest.database)
    throw Error::validation({}, "The backup holds no SQLite database.");
  check_targets(options);

  RestoreResult result;
  const std::size_t total =
      (options.media_dir.empty() ? 0 : manifest.media.size()) +
      (options.sqlite_path.empty() ? 0 : 1);
  std::size_t done = 0;
  auto progress = [&] {
    ++done;
    if (options.on_progress) options.on_progress(done, total);
  };

  std::string media_staging;
  if (!options.media_dir.empty()) {
    backup::make_private_parents(options.media_dir);
    media_staging = backup::make_staging_dir(options.media_dir, "restore");
  }
  backup::StagingGuard media_guard(media_staging);
  for (const auto& [name, digest] : manifest.media) {
    if (media_staging.empty()) break;
    copy_checked(directory + "/" + kBackupMediaDir + "/" + name, media_staging + "/" + name,
                 digest);
    ++result.media_files;
    result.media_bytes += digest.size;
    progress();
  }

  std::string db_staging;
  if (!options.sqlite_path.empty()) {
    backup::make_private_parents(options.sqlite_path);
    db_staging = backup::make_staging_dir(options.sqlite_path, "restore");
  }
  backup::StagingGuard db_guard(db_staging);
  const std::string db_copy = db_staging + "/" + kBackupDatabaseFile;
  if (!db_staging.empty()) {
    copy_checked(directory + "/" + kBackupDatabaseFile, db_copy, *manifest.database);
    result.database_bytes = manifest.database->size;
    progress();
  }

  // Checked again right before the moves: nothing is ever replaced.
  check_targets(options);
  if (!media_staging.empty()) {
    backup::sync_path(media_staging);
    // An empty target directory is replaced by the rename; a missing one
    // is created by it.
    if (std::rename(media_staging.c_str(), options.media_dir.c_str()) != 0)
      throw Error::internal("Restore failed to move the media into place.");
    media_guard.release();
  }
  if (!db_staging.empty()) {
    // An empty database file (a server created it and never wrote) goes;
    // link() then refuses to replace anything that appeared since.
    for (const auto& file : {options.sqlite_path, options.sqlite_path + "-wal",
                             options.sqlite_path + "-shm"})
      if (!file_has_data(file)) ::unlink(file.c_str());
    if (::link(db_copy.c_str(), options.sqlite_path.c_str()) != 0)
      throw Error::internal("Restore failed to move the database into place.");
  }
  for (const auto& target : {options.media_dir, options.sqlite_path}) {
    if (target.empty()) continue;
    const std::string parent = std::filesystem::path(target).parent_path().string();
    backup::sync_path(parent.empty() ? "." : parent);
  }
  return result;
}

}  // namespace taskcore

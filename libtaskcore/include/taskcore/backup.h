#pragma once

// Online backup and restore of a taskcore deployment: a consistent copy of
// a SQLite database taken while servers keep writing, the media files its
// rows name, and a manifest with the size and SHA-256 of every file.
//
// A backup directory holds
//   taskcore.db     the database as of one snapshot (absent when the
//                   database is PostgreSQL: pg_dump copies that)
//   media/          the media files, mode 0600 (directory 0700)
//   manifest.json   format version, library version, creation time, and
//                   every file's size and SHA-256
//
// Guarantee (SQLite): every media row in the copied database has its file,
// byte for byte, in media/ unless it is listed in `missing_media` of the
// result and the manifest. Media files are immutable once stored, so they
// are copied *before* the database snapshot; files stored between that copy
// and the snapshot are copied after it. Only a file whose row is in the
// snapshot but which was deleted before that second pass can be missing
// (its row was deleted right after the snapshot); it is reported, not
// silently dropped. Files no row of the snapshot names (uploads still in
// flight, files deleted before it) are left out.
//
// Neither function changes process-wide state or writes to stderr; progress
// goes to the callbacks, which run on the calling thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "taskcore/clock.h"
#include "taskcore/export.h"

namespace taskcore {

// The file names inside a backup directory.
inline constexpr const char* kBackupDatabaseFile = "taskcore.db";
inline constexpr const char* kBackupMediaDir = "media";
inline constexpr const char* kBackupManifestFile = "manifest.json";

struct BackupOptions {
  // The SQLite database file to copy. Empty: no database (PostgreSQL, whose
  // dump pg_dump makes); all media files are then copied.
  std::string sqlite_path;
  // The media directory (LocalMediaStorage's). Empty: no media.
  std::string media_dir;
  // Database pages copied per step; between steps the copy lets go of
  // SQLite's locks for a moment, and the callback runs.
  int pages_per_step = 256;
  // How long a step that finds the database busy or locked waits before it
  // tries again, and how long in total it keeps trying before it fails.
  int busy_retry_ms = 10;
  int busy_timeout_ms = 60000;
  // Called after every step: database pages copied so far and in total.
  std::function<void(std::int64_t pages_done, std::int64_t pages_total)> on_db_progress;
  // Called after every media file: files copied so far and known so far.
  std::function<void(std::size_t files_done, std::size_t files_total)> on_media_progress;
  // For created_at. Default: SystemClock.
  std::shared_ptr<const Clock> clock;
};

struct BackupResult {
  // Bytes of the database copy (0 without one).
  std::int64_t database_bytes = 0;
  std::size_t media_files = 0;
  std::int64_t media_bytes = 0;
  // Stored names a snapshot row refers to whose files were deleted before
  // they could be copied (see the guarantee above). Usually empty.
  std::vector<std::string> missing_media;
};

// Writes a backup into `directory`, which must not exist or be an empty
// directory. Everything is written under a temporary sibling name
// (".<name>.partial-*"), fsynced, and renamed to `directory` at the end, so
// a failed or interrupted backup never leaves anything under the final
// name. Files are 0600, directories 0700.
//
// The database copy uses SQLite's online backup API over one read
// snapshot: in WAL mode writers carry on meanwhile, and the copy is the
// database as of the moment the snapshot began.
//
// Throws Error(kConflict) when `directory` is not empty, Error(kNotFound)
// when the database file does not exist, Error(kServiceUnavailable) when the
// database stayed busy for busy_timeout_ms, Error(kInternalError) for I/O
// failures (messages never hold paths or SQL).
TASKCORE_EXPORT BackupResult create_backup(const std::string& directory,
                                           const BackupOptions& options);

struct RestoreOptions {
  // Where the database goes. Empty: the backup's database is not restored
  // (PostgreSQL: pg_restore does it). Its directory is created 0700.
  std::string sqlite_path;
  // Where the media go. Empty: media are not restored.
  std::string media_dir;
  // Called after every file: files restored so far and in total.
  std::function<void(std::size_t files_done, std::size_t files_total)> on_progress;
};

struct RestoreResult {
  std::int64_t database_bytes = 0;
  std::size_t media_files = 0;
  std::int64_t media_bytes = 0;
};

// Restores the backup in `directory` into the targets of `options`, which
// must be empty: the database file (and its -wal / -shm) must not exist or be
// empty, the media directory must not exist or be empty. Nothing is ever
// overwritten. Every file is checked against the manifest (size and SHA-256)
// while it is copied to a temporary name; only when all match are they
// renamed into place, media first and the database last, so a database
// that exists was restored whole.
//
// Throws Error(kConflict) when a target is not empty, Error(kValidationError)
// when the manifest is missing, unreadable, of an unknown format, or a file
// does not match it (or the backup has no database and one was asked for),
// Error(kInternalError) for I/O failures.
TASKCORE_EXPORT RestoreResult restore_backup(const std::string& directory,
                                             const RestoreOptions& options);

}  // namespace taskcore

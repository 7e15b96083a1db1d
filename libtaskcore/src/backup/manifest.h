#pragma once

// manifest.json of a backup directory: what restore checks every file
// against. Format 1:
//   {"format": 1, "taskcore_version": "0.1.0",
//    "created_at": "2026-12-03T16:00:00.000Z",
//    "database": {"file": "taskcore.db", "size": N, "sha256": "..."} | null,
//    "media": [{"name": "...", "size": N, "sha256": "..."}, ...],
//    "missing_media": ["..."]}

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backup/files.h"

namespace taskcore::backup {

inline constexpr int kManifestFormat = 1;

struct Manifest {
  int format = kManifestFormat;
  std::string taskcore_version;
  std::string created_at;
  std::optional<FileDigest> database;
  std::map<std::string, FileDigest> media;  // by stored name, sorted
  std::vector<std::string> missing_media;
};

std::string encode_manifest(const Manifest& manifest);

// Throws Error(kValidationError) for text that is not a format-1 manifest
// or names a media file LocalMediaStorage could not have written (a name
// with a '/' would reach outside the media directory).
Manifest decode_manifest(const std::string& text);

// The library's version, "MAJOR.MINOR.PATCH".
std::string library_version();

}  // namespace taskcore::backup

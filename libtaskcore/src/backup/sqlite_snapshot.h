#pragma once

#include <string>
#include <vector>

#include "taskcore/backup.h"

namespace taskcore::backup {

// Copies the SQLite database at `source` into the new file `target` with the
// online backup API, all of it from one read snapshot, and returns the media
// stored names (files and thumbnails) the copy's rows refer to.
std::vector<std::string> snapshot_sqlite(const std::string& source, const std::string& target,
                                         const BackupOptions& options);

}  // namespace taskcore::backup

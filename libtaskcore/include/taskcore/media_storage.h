#pragma once

// Where media bytes live. The core decides names and when files come and
// go; a MediaStorage only keeps bytes under names. The local directory is
// the default; an object store can implement the same interface.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/time.h"

namespace taskcore {

// One stored object opened for reading. Not thread safe.
class TASKCORE_EXPORT MediaReader {
 public:
  virtual ~MediaReader() = default;
  virtual std::int64_t size() const = 0;
  // Reads up to out.size() bytes from `offset`; returns how many (0 at the
  // end). Throws Error(kInternalError) on an I/O failure.
  virtual std::size_t read_at(std::int64_t offset, std::span<std::byte> out) = 0;
};

struct StoredObject {
  std::string name;
  Timestamp modified_at = 0;
};

// Thread safe. Names are given by the core: [A-Za-z0-9._-] only, never
// starting with a dot. Every failure is Error(kInternalError) with a
// message that names no path.
class TASKCORE_EXPORT MediaStorage {
 public:
  virtual ~MediaStorage() = default;

  // Stores the bytes of the local file `source_path` under `name`
  // durably: once put returns, a crash cannot lose them, and a crash
  // before it returns leaves at most a temporary that
  // remove_stale_temporaries clears. `name` must not exist yet.
  virtual void put(const std::string& name, const std::string& source_path) = 0;
  // Null when there is no such object.
  virtual std::unique_ptr<MediaReader> open(const std::string& name) = 0;
  // Removes `name`; no-op when absent.
  virtual void remove(const std::string& name) = 0;
  // Every stored object (temporaries excluded).
  virtual std::vector<StoredObject> list() = 0;
  // Removes temporaries of interrupted puts last modified before `before`;
  // returns how many.
  virtual std::size_t remove_stale_temporaries(Timestamp before) = 0;
};

// Keeps objects as files of one directory (created if missing, mode 0700).
// A put writes a temporary "<dir>/.tmp-<name>", fsyncs it, renames it into
// place and fsyncs the directory.
TASKCORE_EXPORT std::shared_ptr<MediaStorage> open_local_media_storage(
    const std::string& directory);

}  // namespace taskcore

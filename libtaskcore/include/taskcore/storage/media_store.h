#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/media.h"
#include "taskcore/pagination.h"
#include "taskcore/storage/row_lock.h"

namespace taskcore {

// Media rows inside one transaction (see Transaction). The bytes live in a
// MediaStorage; this store only keeps their records. Write methods throw
// Error(kInternalError) inside a read transaction.
class TASKCORE_EXPORT MediaStore {
 public:
  virtual ~MediaStore() = default;

  virtual std::optional<MediaFile> find(std::int64_t id,
                                        RowLock lock = RowLock::kNone) = 0;
  // Ids of `ids` that exist, ascending, duplicates once.
  virtual std::vector<std::int64_t> existing(const std::vector<std::int64_t>& ids) = 0;
  // Stores `file` under a new id (file.id is ignored) and returns the id.
  virtual std::int64_t insert(const MediaFile& file) = 0;
  virtual void remove(std::int64_t id) = 0;
  virtual Page<MediaFile> query(const MediaFilter& filter,
                                const PageRequest& page) = 0;
  // Whether some row names `stored_name` as its file or its thumbnail
  // (the orphan sweep's question).
  virtual bool references(const std::string& stored_name) = 0;
};

}  // namespace taskcore

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/post.h"
#include "taskcore/storage/row_lock.h"

namespace taskcore {

// Which posts a reader may see: every post, or the published ones plus
// the drafts of `drafts_of` (when set).
struct PostVisibility {
  bool everything = false;
  std::optional<std::int64_t> drafts_of;
};

// Post rows inside one transaction (see Transaction), with their media
// references. Write methods throw Error(kInternalError) inside a read
// transaction.
class TASKCORE_EXPORT PostStore {
 public:
  virtual ~PostStore() = default;

  virtual std::optional<Post> find(std::int64_t id, RowLock lock = RowLock::kNone) = 0;
  // Stores `post` (its media_ids in order) under a new id (post.id is
  // ignored) and returns the id. The slug must be free.
  virtual std::int64_t insert(const Post& post) = 0;
  // Rewrites every column of the post `post.id` and replaces its media_ids.
  virtual void update(const Post& post) = 0;
  virtual void remove(std::int64_t id) = 0;
  virtual Page<Post> query(const PostFilter& filter, const PostVisibility& visibility,
                           const PageRequest& page) = 0;
  // The slugs taken among `base` and `base-<anything>` (the candidates a
  // new post made from the same title would collide with).
  virtual std::vector<std::string> slugs_with_base(const std::string& base) = 0;
  // Ids of the posts naming `media_id` as cover or in media_ids, ascending.
  virtual std::vector<std::int64_t> referencing(std::int64_t media_id) = 0;
  // Removes `media_id` from every post's media_ids and cover_media.
  virtual void drop_media(std::int64_t media_id) = 0;
};

}  // namespace taskcore

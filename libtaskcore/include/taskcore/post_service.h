#pragma once

#include <cstdint>
#include <optional>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/post.h"
#include "taskcore/task.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;

// Blog post rules of CONTRACT §4. A reader is a Principal or nullopt for
// an anonymous caller: published posts are public; drafts are seen only by
// their author, managers and admins, and are not_found to anyone else.
// Members write their own posts, managers and admins any; viewers and
// anonymous callers write none. Thread safe. Obtained from Core::posts().
class TASKCORE_EXPORT PostService {
 public:
  explicit PostService(ServiceContext& context);

  // A page past the end is not_found (page 1 never is).
  Page<Post> list(const std::optional<Principal>& reader, const PostFilter& filter,
                  const PageRequest& page);
  // not_found for no such post or a draft the reader may not see.
  Post get(const std::optional<Principal>& reader, std::int64_t id);
  // member and above. title required (1-200 characters); body up to
  // 100000 characters; status draft (default) or published; cover_media and
  // media_ids must name existing media (validation_error on that field).
  // The slug is made from the title, numbered on collision. Audit
  // post_create.
  Post create(const Principal& actor, const PostInput& input);
  // kReplace (PUT) needs title; kPartial (PATCH) any subset. Publishing for
  // the first time sets published_at. Audit post_update.
  Post update(const Principal& actor, std::int64_t id, const PostInput& input,
              WriteMode mode);
  // Audit post_delete.
  void remove(const Principal& actor, std::int64_t id);

 private:
  ServiceContext& ctx_;
};

}  // namespace taskcore

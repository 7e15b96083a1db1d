#pragma once

#include "taskcore/export.h"
#include <optional>

#include "taskcore/media.h"
#include "taskcore/post.h"
#include "taskcore/task.h"
#include "taskcore/user.h"

namespace taskcore {

// The permission table of CONTRACT §2 as plain predicates.
TASKCORE_EXPORT bool can_read(const Principal& actor);
TASKCORE_EXPORT bool can_create_task(const Principal& actor);
TASKCORE_EXPORT bool can_update_task(const Principal& actor, const Task& task);
TASKCORE_EXPORT bool can_delete_task(const Principal& actor, const Task& task);
TASKCORE_EXPORT bool can_bulk_edit(const Principal& actor);
TASKCORE_EXPORT bool can_administer(const Principal& actor);
// CONTRACT §4: viewers read media; members upload and delete their own;
// managers and admins delete any.
TASKCORE_EXPORT bool can_upload_media(const Principal& actor);
TASKCORE_EXPORT bool can_delete_media(const Principal& actor, const MediaFile& file);

// CONTRACT §4: published posts are public; drafts are seen by their
// author, managers and admins (`reader` nullopt = anonymous). Members
// write their own posts; managers and admins any.
TASKCORE_EXPORT bool can_see_post(const std::optional<Principal>& reader, const Post& post);
TASKCORE_EXPORT bool can_write_posts(const Principal& actor);
TASKCORE_EXPORT bool can_edit_post(const Principal& actor, const Post& post);

}  // namespace taskcore

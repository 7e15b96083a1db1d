#pragma once

#include "taskcore/export.h"
#include "taskcore/media.h"
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

}  // namespace taskcore

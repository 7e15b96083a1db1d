#include "taskcore/permissions.h"

namespace taskcore {

bool can_read(const Principal&) { return true; }

bool can_create_task(const Principal& actor) {
  return actor.role >= Role::kMember;
}

bool can_update_task(const Principal& actor, const Task& task) {
  if (actor.role >= Role::kManager) return true;
  if (actor.role < Role::kMember) return false;
  return task.created_by == actor.user_id || task.assigned_to == actor.user_id;
}

bool can_delete_task(const Principal& actor, const Task& task) {
  if (actor.role >= Role::kManager) return true;
  if (actor.role < Role::kMember) return false;
  return task.created_by == actor.user_id;
}

bool can_bulk_edit(const Principal& actor) {
  return actor.role >= Role::kMember;
}

bool can_administer(const Principal& actor) {
  return actor.role == Role::kAdmin;
}

bool can_upload_media(const Principal& actor) {
  return actor.role >= Role::kMember;
}

bool can_delete_media(const Principal& actor, const MediaFile& file) {
  if (actor.role >= Role::kManager) return true;
  if (actor.role < Role::kMember) return false;
  return file.uploaded_by == actor.user_id;
}

bool can_see_post(const std::optional<Principal>& reader, const Post& post) {
  if (post.status == PostStatus::kPublished) return true;
  if (!reader) return false;
  return reader->role >= Role::kManager || post.author == reader->user_id;
}

bool can_write_posts(const Principal& actor) { return actor.role >= Role::kMember; }

bool can_edit_post(const Principal& actor, const Post& post) {
  if (actor.role >= Role::kManager) return true;
  if (actor.role < Role::kMember) return false;
  return post.author == actor.user_id;
}

}  // namespace taskcore

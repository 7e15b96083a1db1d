#include "taskcore/post_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/change_log.h"
#include "core/field_rules.h"
#include "core/service_context.h"
#include "posts/post_rules.h"
#include "taskcore/permissions.h"

namespace taskcore {
namespace {

PostVisibility visibility_for(const std::optional<Principal>& reader) {
  if (!reader) return {};
  if (reader->role >= Role::kManager) return {true, std::nullopt};
  return {false, reader->user_id};
}

void check_media_exist(Transaction& tx, const Post& post) {
  std::vector<std::int64_t> wanted = post.media_ids;
  if (post.cover_media) wanted.push_back(*post.cover_media);
  if (wanted.empty()) return;
  const std::vector<std::int64_t> found = tx.media().existing(wanted);
  const auto exists = [&](std::int64_t id) {
    return std::binary_search(found.begin(), found.end(), id);
  };
  FieldErrorCollector errors;
  if (post.cover_media && !exists(*post.cover_media))
    errors.add("cover_media", invalid_pk(*post.cover_media));
  for (const std::int64_t id : post.media_ids)
    if (!exists(id)) errors.add("media_ids", invalid_pk(id));
  errors.throw_if_any();
}

// `base`, or `base-2`, `base-3`, ... whichever is free first. On a backend
// with concurrent writers two posts may pick the same one: the unique
// index fails the later commit and the store retries it, which then sees
// the earlier post.
std::string free_slug(Transaction& tx, const std::string& base) {
  const std::vector<std::string> taken_list = tx.posts().slugs_with_base(base);
  const std::unordered_set<std::string> taken(taken_list.begin(), taken_list.end());
  if (!taken.contains(base)) return base;
  for (std::size_t n = 2;; ++n) {
    std::string candidate = base + "-" + std::to_string(n);
    if (!taken.contains(candidate)) return candidate;
  }
}

std::string audit_details(const Post& post) {
  return nlohmann::json{{"title", post.title},
                        {"slug", post.slug},
                        {"status", post_status_name(post.status)}}
      .dump();
}

}  // namespace

PostService::PostService(ServiceContext& context) : ctx_(context) {}

Page<Post> PostService::list(const std::optional<Principal>& reader, const PostFilter& filter,
                             const PageRequest& page) {
  const PostVisibility visibility = visibility_for(reader);
  Page<Post> result = ctx_.store->read(
      [&](Transaction& tx) { return tx.posts().query(filter, visibility, page); });
  check_page_in_range(page, result.count);
  return result;
}

Post PostService::get(const std::optional<Principal>& reader, std::int64_t id) {
  auto post = ctx_.store->read([&](Transaction& tx) { return tx.posts().find(id); });
  // A draft the reader may not see does not exist for it.
  if (!post || !can_see_post(reader, *post)) throw Error::not_found();
  return std::move(*post);
}

Post PostService::create(const Principal& actor, const PostInput& input) {
  if (!can_write_posts(actor)) throw Error::permission_denied();
  Post draft;
  apply_post_input(input, WriteMode::kCreate, draft);
  draft.author = actor.user_id;
  const std::string base = slugify(draft.title);
  return ctx_.store->write([&](Transaction& tx) {
    Post post = draft;
    check_media_exist(tx, post);
    const Timestamp now = ctx_.clock->now();
    post.created_at = now;
    post.updated_at = now;
    if (post.status == PostStatus::kPublished) post.published_at = now;
    post.slug = free_slug(tx, base);
    post.id = tx.posts().insert(post);
    record_audit(tx, now, actor, kAuditPostCreate, {"post", post.id}, audit_details(post));
    return post;
  });
}

Post PostService::update(const Principal& actor, std::int64_t id, const PostInput& input,
                         WriteMode mode) {
  return ctx_.store->write([&](Transaction& tx) {
    std::optional<Post> post = tx.posts().find(id, RowLock::kForUpdate);
    if (!post || !can_see_post(actor, *post)) throw Error::not_found();
    if (!can_edit_post(actor, *post)) throw Error::permission_denied();
    apply_post_input(input, mode == WriteMode::kCreate ? WriteMode::kReplace : mode, *post);
    check_media_exist(tx, *post);
    const Timestamp now = ctx_.clock->now();
    post->updated_at = now;
    if (post->status == PostStatus::kPublished && !post->published_at) post->published_at = now;
    tx.posts().update(*post);
    record_audit(tx, now, actor, kAuditPostUpdate, {"post", id}, audit_details(*post));
    return std::move(*post);
  });
}

void PostService::remove(const Principal& actor, std::int64_t id) {
  ctx_.store->write([&](Transaction& tx) {
    const std::optional<Post> post = tx.posts().find(id, RowLock::kForUpdate);
    if (!post || !can_see_post(actor, *post)) throw Error::not_found();
    if (!can_edit_post(actor, *post)) throw Error::permission_denied();
    tx.posts().remove(id);
    record_audit(tx, ctx_.clock->now(), actor, kAuditPostDelete, {"post", id},
                 audit_details(*post));
  });
}

}  // namespace taskcore

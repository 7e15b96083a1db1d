#include "posts/post_rules.h"

#include <algorithm>

#include "core/field_rules.h"

namespace taskcore {

void apply_post_input(const PostInput& input, WriteMode mode, Post& post) {
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  Post next = post;
  const auto decoded = [&](const char* field) { return !input.decode_errors.contains(field); };

  if (!input.title) {
    if (mode != WriteMode::kPartial && decoded("title")) errors.add("title", kRequired);
  } else if (!input.title->has_value()) {
    errors.add("title", kNotNull);
  } else if (auto title = checked_text("title", **input.title, kMaxPostTitleLength, errors)) {
    if (title->empty()) errors.add("title", kNotBlank);
    else next.title = std::move(*title);
  }

  if (input.body) {
    if (!input.body->has_value()) {
      errors.add("body", kNotNull);
    } else if (auto body = checked_text("body", **input.body, kMaxPostBodyLength, errors)) {
      next.body = std::move(*body);
    }
  }

  apply_choice("status", input.status, parse_post_status, next.status, errors);

  if (input.cover_media) {
    if (!input.cover_media->has_value()) next.cover_media.reset();
    else if (**input.cover_media < 1) errors.add("cover_media", invalid_pk(**input.cover_media));
    else next.cover_media = **input.cover_media;
  }

  if (input.media_ids) {
    if (!input.media_ids->has_value()) {
      errors.add("media_ids", kNotNull);
    } else if ((*input.media_ids)->size() > kMaxPostMedia) {
      errors.add("media_ids", "Ensure this field has no more than " +
                                  std::to_string(kMaxPostMedia) + " elements.");
    } else {
      // Each once, in the order first given (DRF's many-to-many keeps one).
      next.media_ids.clear();
      for (const std::int64_t id : **input.media_ids) {
        if (id < 1) errors.add("media_ids", invalid_pk(id));
        else if (std::find(next.media_ids.begin(), next.media_ids.end(), id) ==
                 next.media_ids.end())
          next.media_ids.push_back(id);
      }
    }
  }

  errors.throw_if_any();
  post = std::move(next);
}

}  // namespace taskcore

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/query_params.h"
#include "taskcore/task.h"
#include "taskcore/time.h"

namespace taskcore {

enum class PostStatus { kDraft = 0, kPublished = 1 };

// "draft", "published".
TASKCORE_EXPORT std::string_view post_status_name(PostStatus status);
TASKCORE_EXPORT std::optional<PostStatus> parse_post_status(std::string_view name);

inline constexpr std::size_t kMaxPostTitleLength = 200;     // characters
inline constexpr std::size_t kMaxPostBodyLength = 100'000;  // characters
// A slug made from a title keeps at most this many characters before its
// collision number ("-2", "-3", ...).
inline constexpr std::size_t kMaxSlugBaseLength = 80;
inline constexpr std::size_t kMaxPostMedia = 100;  // entries of media_ids

// A blog post of CONTRACT §4.
struct Post {
  std::int64_t id = 0;
  std::string title;
  // Unique, made from the title when the post is created and kept after
  // (links to a post stay valid when its title is edited).
  std::string slug;
  std::string body;
  PostStatus status = PostStatus::kDraft;
  std::optional<std::int64_t> author;  // null once the user is gone
  std::optional<std::int64_t> cover_media;
  std::vector<std::int64_t> media_ids;  // in the order given, each once
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  // Set when the post is first published; kept if it goes back to draft.
  std::optional<Timestamp> published_at;
};

// The URL-safe base of a slug, as Django's slugify: Latin letters folded
// to ASCII ("Café Ünïcode" -> "cafe-unicode"), lower case; letters, digits
// and "_" kept; runs of whitespace and hyphens one hyphen; other
// punctuation dropped ("What's new?" -> "whats-new"); at most
// kMaxSlugBaseLength characters. "post" when nothing is left (a title in a
// script with no ASCII folding).
TASKCORE_EXPORT std::string slugify(std::string_view title);

// Client input for create, replace (PUT) and partial update (PATCH); see
// TaskInput for the conventions. `author`, `slug` and the timestamps are
// never input: the author is the caller, the rest the core's.
struct PostInput {
  Nullable<std::string> title;
  Nullable<std::string> body;
  Nullable<std::string> status;
  Nullable<std::int64_t> cover_media;
  Nullable<std::vector<std::int64_t>> media_ids;
  FieldErrors decode_errors;
};

enum class PostOrderField { kCreatedAt, kUpdatedAt, kPublishedAt, kTitle };
struct PostOrderTerm {
  PostOrderField field = PostOrderField::kCreatedAt;
  bool descending = true;
  friend bool operator==(const PostOrderTerm&, const PostOrderTerm&) = default;
};
// "created_at", "-title", ...
TASKCORE_EXPORT std::string post_ordering_term_name(const PostOrderTerm& term);

// Filters of the post list; empty / nullopt = not filtered. Values of one
// filter are ORed, filters ANDed. Ties are broken by id in the direction
// of the first term; null published_at sorts last both ways.
struct PostFilter {
  std::vector<PostStatus> statuses;
  std::vector<std::int64_t> authors;
  // Full text over title and body, as the task search: every word must
  // match, the last one as a prefix.
  std::optional<std::string> search;
  std::optional<std::string> slug;  // exact
  std::vector<PostOrderTerm> ordering;  // empty = -created_at

  std::vector<PostOrderTerm> effective_ordering() const;
};

// Reads status (multi), author (multi), search, slug and ordering
// (created_at, updated_at, published_at, title, "-" for descending; a comma
// list). Throws validation_error naming each bad parameter.
TASKCORE_EXPORT PostFilter parse_post_filter(const QueryParams& params);

struct PostListQuery {
  PostFilter filter;
  PageRequest page;
};
TASKCORE_EXPORT PostListQuery parse_post_list_query(const QueryParams& params);

}  // namespace taskcore

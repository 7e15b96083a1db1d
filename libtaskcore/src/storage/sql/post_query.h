#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sql/dialect.h"
#include "taskcore/pagination.h"
#include "taskcore/post.h"
#include "taskcore/storage/post_store.h"

namespace taskcore::sql {

// The columns every backend reads a post with, in read order; the last one
// is its media as "position:id" pairs (parse_post_media).
const std::string& post_columns(Dialect dialect);

// The post list as SQL over table `posts` (status as its name text, times
// in ms), visible rows only, in the filter's effective ordering with ties
// broken by id in the direction of the first term and null published_at
// last both ways. Full text: SQLite's `posts_fts`, PostgreSQL's
// `search_vector`.
PagedSelect build_post_select(const PostFilter& filter, const PostVisibility& visibility,
                              Dialect dialect, const PageRequest& page);

// media_ids from post_columns' last column ("2:7,0:5,1:9" -> 5, 9, 7).
std::vector<std::int64_t> parse_post_media(std::string_view pairs);

}  // namespace taskcore::sql

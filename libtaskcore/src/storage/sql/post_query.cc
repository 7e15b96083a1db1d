#include "storage/sql/post_query.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "storage/sql/task_query.h"

namespace taskcore::sql {

const std::string& post_columns(Dialect dialect) {
  constexpr std::string_view kColumns =
      "id, title, slug, body, status, author_id, cover_media, created_at, updated_at, "
      "published_at, ";
  // SQLite's group_concat has no ORDER BY (before 3.44): each id carries
  // its position and the reader sorts.
  static const std::string kSqlite =
      std::string(kColumns) +
      "(SELECT group_concat(position || ':' || media_id) FROM post_media "
      "WHERE post_id = posts.id)";
  static const std::string kPostgres =
      std::string(kColumns) +
      "(SELECT string_agg(position || ':' || media_id, ',') FROM post_media "
      "WHERE post_id = posts.id)";
  return dialect == Dialect::kSqlite ? kSqlite : kPostgres;
}

PagedSelect build_post_select(const PostFilter& filter, const PostVisibility& visibility,
                              Dialect dialect, const PageRequest& page) {
  PagedSelect result;
  Params params(dialect);
  std::string where;

  if (!visibility.everything) {
    if (visibility.drafts_of) {
      add_condition(where, "(status = 'published' OR author_id = ");
      params.add(where, *visibility.drafts_of);
      where += ')';
    } else {
      add_condition(where, "status = 'published'");
    }
  }
  add_any_of(where, params, "status", filter.statuses,
             [](PostStatus s) { return std::string(post_status_name(s)); });
  add_any_of(where, params, "author_id", filter.authors, [](std::int64_t id) { return id; });
  if (filter.slug) {
    add_condition(where, "slug = ");
    params.add(where, *filter.slug);
  }
  if (filter.search && !add_search_condition(where, params, *filter.search, "posts")) {
    result.matches_nothing = true;
    return result;
  }

  result.filter_param_count = params.values().size();
  result.count_sql = "SELECT COUNT(*) FROM posts" + where;
  std::string& sql = result.page_sql;
  sql = "SELECT ";
  sql += post_columns(dialect);
  sql += " FROM posts";
  sql += where;
  sql += " ORDER BY ";
  const std::vector<PostOrderTerm> ordering = filter.effective_ordering();
  for (const PostOrderTerm& term : ordering) {
    switch (term.field) {
      case PostOrderField::kCreatedAt: sql += "created_at"; break;
      case PostOrderField::kUpdatedAt: sql += "updated_at"; break;
      case PostOrderField::kTitle: sql += "title"; break;
      case PostOrderField::kPublishedAt:
        // Drafts never published sort last in both directions.
        sql += "published_at IS NULL, published_at";
        break;
    }
    sql += term.descending ? " DESC, " : " ASC, ";
  }
  sql += ordering.front().descending ? "id DESC" : "id ASC";
  append_limit_offset(sql, params, page);
  result.params = params.take();
  return result;
}

std::vector<std::int64_t> parse_post_media(std::string_view pairs) {
  std::vector<std::pair<std::int64_t, std::int64_t>> entries;  // position, id
  while (!pairs.empty()) {
    const std::size_t comma = pairs.find(',');
    const std::string_view item = pairs.substr(0, comma);
    const std::size_t colon = item.find(':');
    std::int64_t position = 0;
    std::int64_t id = 0;
    if (colon != std::string_view::npos) {
      std::from_chars(item.data(), item.data() + colon, position);
      std::from_chars(item.data() + colon + 1, item.data() + item.size(), id);
      entries.emplace_back(position, id);
    }
    if (comma == std::string_view::npos) break;
    pairs.remove_prefix(comma + 1);
  }
  std::sort(entries.begin(), entries.end());
  std::vector<std::int64_t> ids;
  ids.reserve(entries.size());
  for (const auto& entry : entries) ids.push_back(entry.second);
  return ids;
}

}  // namespace taskcore::sql

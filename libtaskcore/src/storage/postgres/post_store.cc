#include "storage/postgres/transaction.h"
#include "storage/sql/post_query.h"

namespace taskcore::postgres {
namespace {

Post read_post(const Result& r, int row) {
  Post post;
  post.id = r.int64(row, 0);
  post.title = r.text(row, 1);
  post.slug = r.text(row, 2);
  post.body = r.text(row, 3);
  // The CHECK constraint admits only the two names.
  post.status = parse_post_status(r.text_view(row, 4)).value_or(PostStatus::kDraft);
  post.author = r.optional_int64(row, 5);
  post.cover_media = r.optional_int64(row, 6);
  post.created_at = r.int64(row, 7);
  post.updated_at = r.int64(row, 8);
  post.published_at = r.optional_int64(row, 9);
  if (!r.is_null(row, 10)) post.media_ids = sql::parse_post_media(r.text_view(row, 10));
  return post;
}

Params post_params(const Post& post) {
  Params params;
  params.add(std::string_view(post.title))
      .add(std::string_view(post.slug))
      .add(std::string_view(post.body))
      .add(post_status_name(post.status))
      .add(post.author)
      .add(post.cover_media)
      .add(post.created_at)
      .add(post.updated_at)
      .add(post.published_at);
  return params;
}

void insert_media_refs(TxContext& tx, std::int64_t post_id, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  tx.conn.query(
      "INSERT INTO post_media (post_id, position, media_id) "
      "SELECT $1, ord - 1, m FROM unnest($2::bigint[]) WITH ORDINALITY AS t (m, ord)",
      Params().add(post_id).add_ids(ids));
}

}  // namespace

std::optional<Post> PgPostStore::find(std::int64_t id, RowLock lock) {
  static const std::string kFind =
      "SELECT " + sql::post_columns(sql::Dialect::kPostgres) +
      " FROM posts WHERE id = $1";
  const Result r = tx_.conn.query(kFind + lock_clause(tx_, lock), Params().add(id));
  if (r.empty()) return std::nullopt;
  return read_post(r, 0);
}

std::int64_t PgPostStore::insert(const Post& post) {
  tx_.require_writable();
  const Result r = tx_.conn.query(
      "INSERT INTO posts (title, slug, body, status, author_id, cover_media, created_at, "
      "updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      post_params(post));
  const std::int64_t id = r.int64(0, 0);
  insert_media_refs(tx_, id, post.media_ids);
  return id;
}

void PgPostStore::update(const Post& post) {
  tx_.require_writable();
  Params params = post_params(post);
  params.add(post.id);
  tx_.conn.query(
      "UPDATE posts SET title = $1, slug = $2, body = $3, status = $4, author_id = $5, "
      "cover_media = $6, created_at = $7, updated_at = $8, published_at = $9 WHERE id = $10",
      params);
  tx_.conn.query("DELETE FROM post_media WHERE post_id = $1", Params().add(post.id));
  insert_media_refs(tx_, post.id, post.media_ids);
}

void PgPostStore::remove(std::int64_t id) {
  tx_.require_writable();
  tx_.conn.query("DELETE FROM posts WHERE id = $1", Params().add(id));
}

Page<Post> PgPostStore::query(const PostFilter& filter, const PostVisibility& visibility,
                              const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_post_select(filter, visibility, sql::Dialect::kPostgres, page);
  return paged_query<Post>(tx_, select, page, read_post, false);
}

std::vector<std::string> PgPostStore::slugs_with_base(const std::string& base) {
  // left(), not LIKE: a base is [a-z0-9_-] and LIKE would read "_" as a
  // wildcard.
  const std::string prefix = base + "-";
  const Result r = tx_.conn.query(
      "SELECT slug FROM posts WHERE slug = $1 OR (slug > $2 AND left(slug, $3) = $2)",
      Params()
          .add(std::string_view(base))
          .add(std::string_view(prefix))
          .add(static_cast<std::int64_t>(prefix.size())));
  std::vector<std::string> slugs;
  for (int row = 0; row < r.rows(); ++row) slugs.push_back(r.text(row, 0));
  return slugs;
}

std::vector<std::int64_t> PgPostStore::referencing(std::int64_t media_id) {
  const Result r = tx_.conn.query(
      "SELECT post_id FROM post_media WHERE media_id = $1 "
      "UNION SELECT id FROM posts WHERE cover_media = $1 ORDER BY 1",
      Params().add(media_id));
  std::vector<std::int64_t> ids;
  for (int row = 0; row < r.rows(); ++row) ids.push_back(r.int64(row, 0));
  return ids;
}

void PgPostStore::drop_media(std::int64_t media_id) {
  tx_.require_writable();
  tx_.conn.query("DELETE FROM post_media WHERE media_id = $1", Params().add(media_id));
  tx_.conn.query("UPDATE posts SET cover_media = NULL WHERE cover_media = $1",
                 Params().add(media_id));
}

}  // namespace taskcore::postgres

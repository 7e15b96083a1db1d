#include "storage/sql/post_query.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {
namespace {

Post read_post(const Statement& st) {
  Post post;
  post.id = st.int64(0);
  post.title = st.text(1);
  post.slug = st.text(2);
  post.body = st.text(3);
  // The CHECK constraint admits only the two names.
  post.status = parse_post_status(st.text_view(4)).value_or(PostStatus::kDraft);
  post.author = st.optional_int64(5);
  post.cover_media = st.optional_int64(6);
  post.created_at = st.int64(7);
  post.updated_at = st.int64(8);
  if (!st.is_null(9)) post.published_at = st.int64(9);
  if (!st.is_null(10)) post.media_ids = sql::parse_post_media(st.text_view(10));
  return post;
}

void bind_post_columns(Statement& st, const Post& post) {
  st.bind(1, std::string_view(post.title));
  st.bind(2, std::string_view(post.slug));
  st.bind(3, std::string_view(post.body));
  st.bind(4, post_status_name(post.status));
  st.bind(5, post.author);
  st.bind(6, post.cover_media);
  st.bind(7, post.created_at);
  st.bind(8, post.updated_at);
  st.bind(9, post.published_at);
}

void insert_media_refs(TxContext& tx, std::int64_t post_id, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  // json_each's key is the array index: the position.
  const std::string json = json_id_array(ids);
  Statement st = tx.conn.prepare(
      "INSERT INTO post_media (post_id, position, media_id) "
      "SELECT ?, key, value FROM json_each(?)");
  st.bind(1, post_id);
  st.bind(2, std::string_view(json));
  st.run();
}

}  // namespace

std::optional<Post> SqlitePostStore::find(std::int64_t id, RowLock) {
  static const std::string kFind =
      "SELECT " + sql::post_columns(sql::Dialect::kSqlite) +
      " FROM posts WHERE id = ?";
  Statement st = tx_.conn.prepare(kFind);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_post(st);
}

std::int64_t SqlitePostStore::insert(const Post& post) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "INSERT INTO posts (title, slug, body, status, author_id, cover_media, created_at, "
      "updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_post_columns(st, post);
  st.run();
  const std::int64_t id = sqlite3_last_insert_rowid(tx_.conn.handle());
  insert_media_refs(tx_, id, post.media_ids);
  return id;
}

void SqlitePostStore::update(const Post& post) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "UPDATE posts SET title = ?, slug = ?, body = ?, status = ?, author_id = ?, "
      "cover_media = ?, created_at = ?, updated_at = ?, published_at = ? WHERE id = ?");
  bind_post_columns(st, post);
  st.bind(10, post.id);
  st.run();
  Statement clear = tx_.conn.prepare("DELETE FROM post_media WHERE post_id = ?");
  clear.bind(1, post.id);
  clear.run();
  insert_media_refs(tx_, post.id, post.media_ids);
}

void SqlitePostStore::remove(std::int64_t id) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare("DELETE FROM posts WHERE id = ?");
  st.bind(1, id);
  st.run();
}

Page<Post> SqlitePostStore::query(const PostFilter& filter, const PostVisibility& visibility,
                                  const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_post_select(filter, visibility, sql::Dialect::kSqlite, page);
  return paged_query<Post>(tx_, select, page, read_post, false);
}

std::vector<std::string> SqlitePostStore::slugs_with_base(const std::string& base) {
  // substr, not LIKE: a base is [a-z0-9_-] and LIKE would read "_" as a
  // wildcard.
  Statement st = tx_.conn.prepare(
      "SELECT slug FROM posts WHERE slug = ?1 OR (slug > ?2 AND substr(slug, 1, ?3) = ?2)");
  st.bind(1, std::string_view(base));
  const std::string prefix = base + "-";
  st.bind(2, std::string_view(prefix));
  st.bind(3, static_cast<std::int64_t>(prefix.size()));
  std::vector<std::string> slugs;
  while (st.step()) slugs.push_back(st.text(0));
  return slugs;
}

std::vector<std::int64_t> SqlitePostStore::referencing(std::int64_t media_id) {
  Statement st = tx_.conn.prepare(
      "SELECT post_id FROM post_media WHERE media_id = ?1 "
      "UNION SELECT id FROM posts WHERE cover_media = ?1 ORDER BY 1");
  st.bind(1, media_id);
  std::vector<std::int64_t> ids;
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

void SqlitePostStore::drop_media(std::int64_t media_id) {
  tx_.require_writable();
  Statement refs = tx_.conn.prepare("DELETE FROM post_media WHERE media_id = ?");
  refs.bind(1, media_id);
  refs.run();
  Statement cover = tx_.conn.prepare("UPDATE posts SET cover_media = NULL WHERE cover_media = ?");
  cover.bind(1, media_id);
  cover.run();
}

}  // namespace taskcore::sqlite

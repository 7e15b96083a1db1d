#include "storage/sql/media_query.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {
namespace {

constexpr const char* kMediaColumns =
    "id, filename, original_filename, file_type, file_size, upload_date, "
    "uploaded_by, thumbnail_filename, width, height";

MediaFile read_media(const Statement& st) {
  MediaFile file;
  file.id = st.int64(0);
  file.filename = st.text(1);
  file.original_filename = st.text(2);
  // The CHECK constraint admits only names parse_media_type knows.
  file.file_type = parse_media_type(st.text_view(3)).value_or(MediaType::kPng);
  file.file_size = st.int64(4);
  file.upload_date = st.int64(5);
  file.uploaded_by = st.optional_int64(6);
  file.thumbnail_filename = st.optional_text(7);
  file.width = st.optional_int64(8);
  file.height = st.optional_int64(9);
  return file;
}

}  // namespace

std::optional<MediaFile> SqliteMediaStore::find(std::int64_t id, RowLock) {
  Statement st = tx_.conn.prepare(std::string("SELECT ") + kMediaColumns +
                                  " FROM media WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_media(st);
}

std::vector<std::int64_t> SqliteMediaStore::existing(const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> found;
  if (ids.empty()) return found;
  const std::string json = json_id_array(ids);
  Statement st = tx_.conn.prepare(
      "SELECT id FROM media WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id");
  st.bind(1, std::string_view(json));
  while (st.step()) found.push_back(st.int64(0));
  return found;
}

std::int64_t SqliteMediaStore::insert(const MediaFile& file) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "INSERT INTO media (filename, original_filename, file_type, file_size, "
      "upload_date, uploaded_by, thumbnail_filename, width, height) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, std::string_view(file.filename));
  st.bind(2, std::string_view(file.original_filename));
  st.bind(3, media_type_name(file.file_type));
  st.bind(4, file.file_size);
  st.bind(5, file.upload_date);
  st.bind(6, file.uploaded_by);
  st.bind(7, file.thumbnail_filename);
  st.bind(8, file.width);
  st.bind(9, file.height);
  st.run();
  return sqlite3_last_insert_rowid(tx_.conn.handle());
}

void SqliteMediaStore::remove(std::int64_t id) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare("DELETE FROM media WHERE id = ?");
  st.bind(1, id);
  st.run();
}

Page<MediaFile> SqliteMediaStore::query(const MediaFilter& filter, const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_media_select(filter, sql::Dialect::kSqlite, kMediaColumns, page);
  return paged_query<MediaFile>(tx_, select, page, read_media, false);
}

bool SqliteMediaStore::references(const std::string& stored_name) {
  Statement st = tx_.conn.prepare(
      "SELECT 1 FROM media WHERE filename = ? OR thumbnail_filename = ?");
  st.bind(1, std::string_view(stored_name));
  st.bind(2, std::string_view(stored_name));
  return st.step();
}

}  // namespace taskcore::sqlite

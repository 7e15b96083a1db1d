#include "storage/postgres/transaction.h"
#include "storage/sql/media_query.h"

namespace taskcore::postgres {
namespace {

constexpr const char* kMediaColumns =
    "id, filename, original_filename, file_type, file_size, upload_date, "
    "uploaded_by, thumbnail_filename, width, height";

MediaFile read_media(const Result& r, int row) {
  MediaFile file;
  file.id = r.int64(row, 0);
  file.filename = r.text(row, 1);
  file.original_filename = r.text(row, 2);
  // The CHECK constraint admits only names parse_media_type knows.
  file.file_type = parse_media_type(r.text_view(row, 3)).value_or(MediaType::kPng);
  file.file_size = r.int64(row, 4);
  file.upload_date = r.int64(row, 5);
  file.uploaded_by = r.optional_int64(row, 6);
  file.thumbnail_filename = r.optional_text(row, 7);
  file.width = r.optional_int64(row, 8);
  file.height = r.optional_int64(row, 9);
  return file;
}

}  // namespace

std::optional<MediaFile> PgMediaStore::find(std::int64_t id, RowLock lock) {
  const Result r = tx_.conn.query(std::string("SELECT ") + kMediaColumns +
                                      " FROM media WHERE id = $1" + lock_clause(tx_, lock),
                                  Params().add(id));
  if (r.empty()) return std::nullopt;
  return read_media(r, 0);
}

std::vector<std::int64_t> PgMediaStore::existing(const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> found;
  if (ids.empty()) return found;
  const Result r = tx_.conn.query(
      // In a write transaction the rows stay until it ends: a post naming
      // them cannot commit after a concurrent delete removed them.
      std::string("SELECT id FROM media WHERE id = ANY($1::bigint[]) ORDER BY id") +
          (tx_.writable ? " FOR KEY SHARE" : ""),
      Params().add_ids(ids));
  for (int row = 0; row < r.rows(); ++row) found.push_back(r.int64(row, 0));
  return found;
}

std::int64_t PgMediaStore::insert(const MediaFile& file) {
  tx_.require_writable();
  const Result r = tx_.conn.query(
      "INSERT INTO media (filename, original_filename, file_type, file_size, "
      "upload_date, uploaded_by, thumbnail_filename, width, height) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      Params()
          .add(std::string_view(file.filename))
          .add(std::string_view(file.original_filename))
          .add(media_type_name(file.file_type))
          .add(file.file_size)
          .add(file.upload_date)
          .add(file.uploaded_by)
          .add(file.thumbnail_filename)
          .add(file.width)
          .add(file.height));
  return r.int64(0, 0);
}

void PgMediaStore::remove(std::int64_t id) {
  tx_.require_writable();
  tx_.conn.query("DELETE FROM media WHERE id = $1", Params().add(id));
}

Page<MediaFile> PgMediaStore::query(const MediaFilter& filter, const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_media_select(filter, sql::Dialect::kPostgres, kMediaColumns, page);
  return paged_query<MediaFile>(tx_, select, page, read_media, false);
}

bool PgMediaStore::references(const std::string& stored_name) {
  return !tx_.conn
              .query("SELECT 1 FROM media WHERE filename = $1 OR thumbnail_filename = $1",
                     Params().add(std::string_view(stored_name)))
              .empty();
}

}  // namespace taskcore::postgres

#include <doctest/doctest.h>

#include <vector>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

MediaFile media_row(const std::string& stem, MediaType type, std::int64_t size,
                    Timestamp at, std::optional<std::int64_t> by) {
  MediaFile f;
  f.filename = stem + std::string(media_extension(type));
  f.original_filename = "Orig " + stem + std::string(media_extension(type));
  f.file_type = type;
  f.file_size = size;
  f.upload_date = at;
  f.uploaded_by = by;
  if (is_image(type)) {
    f.thumbnail_filename = stem + "_thumb.png";
    f.width = 640;
    f.height = 480;
  }
  return f;
}

std::vector<std::int64_t> ids_of(Store& store, const MediaFilter& filter,
                                 const PageRequest& page = {}) {
  const Page<MediaFile> result =
      store.read([&](Transaction& tx) { return tx.media().query(filter, page); });
  std::vector<std::int64_t> ids;
  for (const auto& f : result.items) ids.push_back(f.id);
  return ids;
}

}  // namespace

TEST_CASE_TEMPLATE("store media: insert, find, references, remove", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada", Role::kMember, kT0);
  const MediaFile row = media_row("aa11", MediaType::kJpg, 1234, kT0 + 7, ada.id);
  const std::int64_t id =
      store.write([&](Transaction& tx) { return tx.media().insert(row); });
  CHECK(id > 0);

  const auto found = store.read([&](Transaction& tx) { return tx.media().find(id); });
  REQUIRE(found.has_value());
  CHECK(found->id == id);
  CHECK(found->filename == "aa11.jpg");
  CHECK(found->original_filename == "Orig aa11.jpg");
  CHECK(found->file_type == MediaType::kJpg);
  CHECK(found->file_size == 1234);
  CHECK(found->upload_date == kT0 + 7);
  CHECK(found->uploaded_by == ada.id);
  CHECK(found->thumbnail_filename == "aa11_thumb.png");
  CHECK(found->width == 640);
  CHECK(found->height == 480);

  store.read([&](Transaction& tx) {
    CHECK(tx.media().references("aa11.jpg"));
    CHECK(tx.media().references("aa11_thumb.png"));
    CHECK_FALSE(tx.media().references("bb22.jpg"));
    CHECK(tx.media().existing({id + 5, id, id}) == std::vector<std::int64_t>{id});
  });

  // A rolled back insert leaves nothing.
  CHECK_THROWS_AS(store.write([&](Transaction& tx) {
                    tx.media().insert(media_row("cc33", MediaType::kPdf, 5, kT0, ada.id));
                    throw Error::validation({{"x", {"no"}}});
                  }),
                  Error);
  CHECK_FALSE(store.read([&](Transaction& tx) { return tx.media().references("cc33.pdf"); }));

  store.write([&](Transaction& tx) { tx.media().remove(id); });
  CHECK_FALSE(store.read([&](Transaction& tx) { return tx.media().find(id); }).has_value());
}

TEST_CASE_TEMPLATE("store media: filters and orderings", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada", Role::kMember, kT0);
  const User bob = add_user(store, "bob", Role::kMember, kT0);
  constexpr Timestamp kDay = 86'400'000;
  std::vector<std::int64_t> id(4);
  store.write([&](Transaction& tx) {
    id[0] = tx.media().insert(media_row("m0", MediaType::kPng, 300, kT0, ada.id));
    id[1] = tx.media().insert(media_row("m1", MediaType::kPdf, 100, kT0 + kDay, bob.id));
    id[2] = tx.media().insert(media_row("m2", MediaType::kDocx, 300, kT0 + kDay, ada.id));
    id[3] = tx.media().insert(media_row("m3_100%", MediaType::kGif, 200, kT0 + 2 * kDay, bob.id));
  });

  CHECK(ids_of(store, {}) == std::vector{id[3], id[2], id[1], id[0]});
  MediaFilter f;
  f.file_types = {MediaType::kPdf, MediaType::kDocx};
  CHECK(ids_of(store, f) == std::vector{id[2], id[1]});
  f = {};
  f.user_ids = {bob.id};
  CHECK(ids_of(store, f) == std::vector{id[3], id[1]});
  f = {};
  f.uploaded_from = date_from_days(kT0 / kDay + 1);
  f.uploaded_to = date_from_days(kT0 / kDay + 1);
  CHECK(ids_of(store, f) == std::vector{id[2], id[1]});
  f = {};
  f.search = "ORIG M3_100%";
  CHECK(ids_of(store, f) == std::vector{id[3]});
  f.search = "m_";  // "_" is literal, not any character
  CHECK(ids_of(store, f).empty());
  f = {};
  f.ordering = {{MediaOrderField::kFileSize, false}};
  CHECK(ids_of(store, f) == std::vector{id[1], id[3], id[0], id[2]});
  f.ordering = {{MediaOrderField::kFileSize, true}, {MediaOrderField::kUploadDate, false}};
  CHECK(ids_of(store, f) == std::vector{id[0], id[2], id[3], id[1]});
  f = {};
  const Page<MediaFile> page = store.read(
      [&](Transaction& tx) { return tx.media().query(f, PageRequest{2, 3}); });
  CHECK(page.count == 4);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == id[0]);
}

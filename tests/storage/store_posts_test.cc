#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/store_backends.h"
#include "taskcore/storage/post_store.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

using Ids = std::vector<std::int64_t>;

Post post_row(const std::string& title, const std::string& slug, const std::string& body,
              PostStatus status, std::optional<std::int64_t> author, Timestamp created) {
  Post p;
  p.title = title;
  p.slug = slug;
  p.body = body;
  p.status = status;
  p.author = author;
  p.created_at = created;
  p.updated_at = created;
  if (status == PostStatus::kPublished) p.published_at = created;
  return p;
}

std::int64_t insert_post(Store& store, const Post& post) {
  return store.write([&](Transaction& tx) { return tx.posts().insert(post); });
}

std::optional<Post> find_post(Store& store, std::int64_t id) {
  return store.read([&](Transaction& tx) { return tx.posts().find(id); });
}

std::int64_t insert_media(Store& store, const std::string& stem) {
  MediaFile f;
  f.filename = stem + ".png";
  f.original_filename = stem + ".png";
  f.file_type = MediaType::kPng;
  f.file_size = 100;
  f.upload_date = kT0;
  return store.write([&](Transaction& tx) { return tx.media().insert(f); });
}

Page<Post> query_posts(Store& store, const PostFilter& filter,
                       const PostVisibility& visibility = {true, std::nullopt},
                       const PageRequest& page = {1, 100}) {
  return store.read(
      [&](Transaction& tx) { return tx.posts().query(filter, visibility, page); });
}

Ids ids_of(const Page<Post>& page) {
  Ids ids;
  for (const Post& p : page.items) ids.push_back(p.id);
  return ids;
}

// Ids in query order; the count must match the (single) page.
Ids query_ids(Store& store, const PostFilter& filter,
              const PostVisibility& visibility = {true, std::nullopt}) {
  const Page<Post> page = query_posts(store, filter, visibility);
  CHECK(page.count == static_cast<std::int64_t>(page.items.size()));
  return ids_of(page);
}

Ids query_set(Store& store, const PostFilter& filter,
              const PostVisibility& visibility = {true, std::nullopt}) {
  Ids ids = query_ids(store, filter, visibility);
  std::sort(ids.begin(), ids.end());
  return ids;
}

PostFilter search_for(const std::string& text) {
  PostFilter f;
  f.search = text;
  return f;
}

void check_same(const Post& got, const Post& want) {
  CHECK(got.title == want.title);
  CHECK(got.slug == want.slug);
  CHECK(got.body == want.body);
  CHECK(got.status == want.status);
  CHECK(got.author == want.author);
  CHECK(got.cover_media == want.cover_media);
  CHECK(got.media_ids == want.media_ids);
  CHECK(got.created_at == want.created_at);
  CHECK(got.updated_at == want.updated_at);
  CHECK(got.published_at == want.published_at);
}

// Five posts over three authors, two of them drafts.
struct Dataset {
  User ada, bob, cyd;
  Ids id;  // id[n] is post p{n+1}

  explicit Dataset(Store& store) {
    ada = add_user(store, "ada");
    bob = add_user(store, "bob");
    cyd = add_user(store, "cyd");
    const Post rows[] = {
        post_row("Hello World", "hello-world", "First post about taskcore",
                 PostStatus::kPublished, ada.id, kT0 + 1000),
        post_row("Café Society", "cafe-society", "Coffee and croissants",
                 PostStatus::kDraft, ada.id, kT0 + 2000),
        post_row("Release notes", "release-notes", "The hello release ships today",
                 PostStatus::kPublished, bob.id, kT0 + 3000),
        post_row("Draft ideas", "draft-ideas", "Unfinished thoughts on hellothere",
                 PostStatus::kDraft, bob.id, kT0 + 4000),
        post_row("Roadmap", "roadmap", "Plans for the year", PostStatus::kPublished,
                 cyd.id, kT0 + 5000),
    };
    for (const Post& p : rows) id.push_back(insert_post(store, p));
  }
  Ids ids(std::initializer_list<int> ns) const {
    Ids out;
    for (int n : ns) out.push_back(id[n - 1]);
    return out;
  }
};

}  // namespace

TEST_CASE_TEMPLATE("store posts: insert, find, update, remove", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  const User bob = add_user(store, "bob");
  const std::int64_t m0 = insert_media(store, "m0");
  const std::int64_t m1 = insert_media(store, "m1");
  const std::int64_t m2 = insert_media(store, "m2");

  Post full = post_row("Hello", "hello", "Some body text", PostStatus::kPublished, ada.id, kT0 + 1);
  full.id = 4242;  // ignored
  full.updated_at = kT0 + 2;
  full.published_at = kT0 + 3;
  full.cover_media = m1;
  full.media_ids = {m2, m0, m1};  // not ascending: the order is kept
  const std::int64_t id = insert_post(store, full);
  CHECK(id > 0);
  CHECK(id != 4242);
  std::optional<Post> found = find_post(store, id);
  REQUIRE(found.has_value());
  CHECK(found->id == id);
  check_same(*found, full);

  // Every nullable column null, no media.
  const Post bare = post_row("Bare", "bare", "", PostStatus::kDraft, std::nullopt, kT0 + 10);
  const std::int64_t bare_id = insert_post(store, bare);
  CHECK(bare_id != id);
  found = find_post(store, bare_id);
  REQUIRE(found.has_value());
  check_same(*found, bare);
  CHECK_FALSE(found->published_at.has_value());
  CHECK_FALSE(find_post(store, id + bare_id + 100).has_value());

  // Update rewrites every column and replaces media_ids.
  Post changed = full;
  changed.id = id;
  changed.title = "Renamed entry";
  changed.slug = "renamed-entry";
  changed.body = "Completely different words";
  changed.status = PostStatus::kDraft;
  changed.author = bob.id;
  changed.cover_media = std::nullopt;
  changed.media_ids = {m1};
  changed.created_at = kT0 + 100;
  changed.updated_at = kT0 + 200;
  changed.published_at = std::nullopt;
  store.write([&](Transaction& tx) { tx.posts().update(changed); });
  found = find_post(store, id);
  REQUIRE(found.has_value());
  check_same(*found, changed);
  store.read([&](Transaction& tx) {
    CHECK(tx.posts().referencing(m0).empty());
    CHECK(tx.posts().referencing(m2).empty());
    CHECK(tx.posts().referencing(m1) == Ids{id});
  });
  // The other post is untouched.
  check_same(*find_post(store, bare_id), bare);

  // Back to a published post with a cover and more media.
  changed.status = PostStatus::kPublished;
  changed.published_at = kT0 + 300;
  changed.cover_media = m0;
  changed.media_ids = {m0, m2};
  store.write([&](Transaction& tx) { tx.posts().update(changed); });
  check_same(*find_post(store, id), changed);

  // The search index follows updates.
  CHECK(query_ids(store, search_for("renamed")) == Ids{id});
  CHECK(query_ids(store, search_for("different")) == Ids{id});
  CHECK(query_ids(store, search_for("hello")).empty());

  store.write([&](Transaction& tx) { tx.posts().remove(id); });
  CHECK_FALSE(find_post(store, id).has_value());
  CHECK(find_post(store, bare_id).has_value());
  CHECK(query_ids(store, search_for("renamed")).empty());
  CHECK(query_ids(store, {}) == Ids{bare_id});
  store.read([&](Transaction& tx) {
    CHECK(tx.posts().referencing(m0).empty());
    CHECK(tx.posts().referencing(m2).empty());
  });

  // A rolled back insert leaves nothing; writes in a read snapshot throw.
  CHECK_THROWS_AS(store.write([&](Transaction& tx) {
                    tx.posts().insert(post_row("Gone", "gone", "", PostStatus::kDraft,
                                               ada.id, kT0));
                    throw Error::validation({{"x", {"no"}}});
                  }),
                  Error);
  PostFilter gone;
  gone.slug = "gone";
  CHECK(query_ids(store, gone).empty());
  const Error in_read = catch_error([&] {
    store.read([&](Transaction& tx) {
      tx.posts().insert(post_row("Ro", "ro", "", PostStatus::kDraft, ada.id, kT0));
    });
  });
  CHECK(in_read.code() == ErrorCode::kInternalError);
}

TEST_CASE_TEMPLATE("store posts: unique slugs and slugs_with_base", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  const std::int64_t first =
      insert_post(store, post_row("Hello", "hello", "", PostStatus::kDraft, ada.id, kT0));
  CHECK_THROWS_AS(insert_post(store, post_row("Hello again", "hello", "other",
                                              PostStatus::kPublished, ada.id, kT0 + 1)),
                  Error);
  PostFilter by_slug;
  by_slug.slug = "hello";
  CHECK(query_ids(store, by_slug) == Ids{first});

  std::int64_t last = 0;
  for (const char* slug : {"hello-2", "hello-x", "hellothere", "hell", "ahello", "other"})
    last = insert_post(store, post_row(slug, slug, "", PostStatus::kDraft, ada.id, kT0));

  // An update onto a taken slug fails too and changes nothing.
  Post clash = *find_post(store, last);
  clash.slug = "hello-2";
  CHECK_THROWS_AS(store.write([&](Transaction& tx) { tx.posts().update(clash); }), Error);
  CHECK(find_post(store, last)->slug == "other");

  auto slugs = [&](const std::string& base) {
    std::vector<std::string> out =
        store.read([&](Transaction& tx) { return tx.posts().slugs_with_base(base); });
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(slugs("hello") == std::vector<std::string>{"hello", "hello-2", "hello-x"});
  CHECK(slugs("hello-2") == std::vector<std::string>{"hello-2"});
  CHECK(slugs("hell") == std::vector<std::string>{"hell"});
  CHECK(slugs("nothing").empty());
}

TEST_CASE_TEMPLATE("store posts: filters and search", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Dataset d(store);
  PostFilter f;

  CHECK(query_ids(store, f) == d.ids({5, 4, 3, 2, 1}));  // -created_at
  f.statuses = {PostStatus::kPublished};
  CHECK(query_set(store, f) == d.ids({1, 3, 5}));
  f.statuses = {PostStatus::kDraft};
  CHECK(query_set(store, f) == d.ids({2, 4}));
  f.statuses = {PostStatus::kDraft, PostStatus::kPublished};
  CHECK(query_set(store, f) == d.ids({1, 2, 3, 4, 5}));

  f = {};
  f.authors = {d.ada.id};
  CHECK(query_set(store, f) == d.ids({1, 2}));
  f.authors = {d.ada.id, d.cyd.id};
  CHECK(query_set(store, f) == d.ids({1, 2, 5}));
  f.authors = {d.cyd.id + 100};
  CHECK(query_set(store, f).empty());
  f.authors = {d.bob.id};
  f.statuses = {PostStatus::kDraft};
  CHECK(query_set(store, f) == d.ids({4}));

  f = {};
  f.slug = "hello-world";
  CHECK(query_ids(store, f) == d.ids({1}));
  f.slug = "hello";  // exact, not a prefix
  CHECK(query_ids(store, f).empty());
  f.slug = "HELLO-WORLD";
  CHECK(query_ids(store, f).empty());

  // Whole words, the last one a prefix ("hello" also matches "hellothere").
  CHECK(query_set(store, search_for("hello")) == d.ids({1, 3, 4}));
  CHECK(query_set(store, search_for("HeLLo")) == d.ids({1, 3, 4}));
  CHECK(query_set(store, search_for("hell")) == d.ids({1, 3, 4}));
  // Every word must match; only the last is a prefix.
  CHECK(query_set(store, search_for("hello world")) == d.ids({1}));
  CHECK(query_set(store, search_for("world hell")) == d.ids({1}));
  CHECK(query_set(store, search_for("release hello")) == d.ids({3}));
  CHECK(query_set(store, search_for("hell release")).empty());
  // A word only in the body; words split between title and body.
  CHECK(query_set(store, search_for("croissants")) == d.ids({2}));
  CHECK(query_set(store, search_for("ships")) == d.ids({3}));
  CHECK(query_set(store, search_for("hello taskcore")) == d.ids({1}));
  CHECK(query_set(store, search_for("roadmap year")) == d.ids({5}));
  // Case and diacritics are folded both ways.
  CHECK(query_set(store, search_for("cafe")) == d.ids({2}));
  CHECK(query_set(store, search_for("CAFÉ")) == d.ids({2}));
  CHECK(query_set(store, search_for("café soc")) == d.ids({2}));
  CHECK(query_set(store, search_for("zebra")).empty());
  CHECK(query_set(store, search_for("   ")).empty());
  CHECK_NOTHROW(query_posts(store, search_for("\"hello* OR (x")));

  // Filters AND together.
  PostFilter g = search_for("hello");
  g.statuses = {PostStatus::kPublished};
  CHECK(query_set(store, g) == d.ids({1, 3}));
  g.authors = {d.bob.id};
  CHECK(query_set(store, g) == d.ids({3}));
}

TEST_CASE_TEMPLATE("store posts: visibility", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Dataset d(store);
  const PostVisibility everything{true, std::nullopt};
  const PostVisibility anonymous{false, std::nullopt};
  const PostVisibility as_ada{false, d.ada.id};
  const PostVisibility as_bob{false, d.bob.id};

  CHECK(query_ids(store, {}, everything) == d.ids({5, 4, 3, 2, 1}));
  CHECK(query_ids(store, {}, anonymous) == d.ids({5, 3, 1}));
  CHECK(query_ids(store, {}, as_ada) == d.ids({5, 3, 2, 1}));
  CHECK(query_ids(store, {}, as_bob) == d.ids({5, 4, 3, 1}));
  CHECK(query_ids(store, {}, PostVisibility{false, d.cyd.id}) == d.ids({5, 3, 1}));
  // everything wins over drafts_of.
  CHECK(query_ids(store, {}, PostVisibility{true, d.ada.id}) == d.ids({5, 4, 3, 2, 1}));

  // Visibility ANDs with the filters.
  PostFilter drafts;
  drafts.statuses = {PostStatus::kDraft};
  CHECK(query_ids(store, drafts, everything) == d.ids({4, 2}));
  CHECK(query_ids(store, drafts, as_ada) == d.ids({2}));
  CHECK(query_ids(store, drafts, anonymous).empty());
  PostFilter by_slug;
  by_slug.slug = "cafe-society";
  CHECK(query_ids(store, by_slug, anonymous).empty());
  CHECK(query_ids(store, by_slug, as_bob).empty());
  CHECK(query_ids(store, by_slug, as_ada) == d.ids({2}));
  CHECK(query_ids(store, search_for("hello"), anonymous) == d.ids({3, 1}));
  CHECK(query_ids(store, search_for("hello"), as_bob) == d.ids({4, 3, 1}));

  // Counts are of the visible posts, over all pages.
  const Page<Post> page = query_posts(store, {}, anonymous, {1, 2});
  CHECK(page.count == 3);
  CHECK(ids_of(page) == d.ids({5, 3}));
  const Page<Post> second = query_posts(store, {}, as_ada, {2, 3});
  CHECK(second.count == 4);
  CHECK(ids_of(second) == d.ids({1}));
}

TEST_CASE_TEMPLATE("store posts: ordering and pages", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  struct Row {
    const char* title;
    Timestamp created, updated;
    std::optional<Timestamp> published;
  };
  // Ties on every key, two null published_at.
  const Row rows[] = {
      {"b", kT0 + 1000, kT0 + 5000, kT0 + 2000},
      {"a", kT0 + 2000, kT0 + 2000, std::nullopt},
      {"c", kT0 + 2000, kT0 + 9000, kT0 + 2000},
      {"a", kT0 + 3000, kT0 + 3000, kT0 + 4000},
      {"d", kT0 + 500, kT0 + 2000, std::nullopt},
  };
  Ids q;
  for (const Row& r : rows) {
    Post p = post_row(r.title, "slug-" + std::to_string(q.size()), "", PostStatus::kDraft,
                      ada.id, r.created);
    p.updated_at = r.updated;
    p.published_at = r.published;
    if (r.published) p.status = PostStatus::kPublished;
    q.push_back(insert_post(store, p));
  }
  auto ids = [&](std::initializer_list<int> ns) {
    Ids out;
    for (int n : ns) out.push_back(q[n - 1]);
    return out;
  };
  auto ordered = [&](std::vector<PostOrderTerm> terms) {
    PostFilter f;
    f.ordering = std::move(terms);
    return query_ids(store, f);
  };
  using F = PostOrderField;

  CHECK(ordered({}) == ids({4, 3, 2, 1, 5}));
  CHECK(ordered({{F::kCreatedAt, true}}) == ids({4, 3, 2, 1, 5}));
  CHECK(ordered({{F::kCreatedAt, false}}) == ids({5, 1, 2, 3, 4}));
  CHECK(ordered({{F::kUpdatedAt, false}}) == ids({2, 5, 4, 1, 3}));
  CHECK(ordered({{F::kUpdatedAt, true}}) == ids({3, 1, 4, 5, 2}));
  CHECK(ordered({{F::kTitle, false}}) == ids({2, 4, 1, 3, 5}));
  CHECK(ordered({{F::kTitle, true}}) == ids({5, 3, 1, 4, 2}));
  // Null published_at last both ways; ties by id in the first term's direction.
  CHECK(ordered({{F::kPublishedAt, false}}) == ids({1, 3, 4, 2, 5}));
  CHECK(ordered({{F::kPublishedAt, true}}) == ids({4, 3, 1, 5, 2}));
  // Later terms break ties of the earlier ones.
  CHECK(ordered({{F::kPublishedAt, false}, {F::kTitle, true}}) == ids({3, 1, 4, 5, 2}));
  CHECK(ordered({{F::kTitle, false}, {F::kUpdatedAt, true}}) == ids({4, 2, 1, 3, 5}));
  CHECK(ordered({{F::kCreatedAt, false}, {F::kTitle, true}}) == ids({5, 1, 3, 2, 4}));
  CHECK(ordered({{F::kUpdatedAt, true}, {F::kCreatedAt, false}}) == ids({3, 1, 4, 5, 2}));

  // Pages: every one counts all five.
  auto page_ids = [&](const PostFilter& f, PageRequest request) {
    const Page<Post> page = query_posts(store, f, {true, std::nullopt}, request);
    CHECK(page.count == 5);
    return ids_of(page);
  };
  CHECK(page_ids({}, {1, 2}) == ids({4, 3}));
  CHECK(page_ids({}, {2, 2}) == ids({2, 1}));
  CHECK(page_ids({}, {3, 2}) == ids({5}));
  PostFilter by_published;
  by_published.ordering = {{F::kPublishedAt, true}};
  CHECK(page_ids(by_published, {2, 3}) == ids({5, 2}));
}

TEST_CASE_TEMPLATE("store posts: media references, drop_media and cascades", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  const std::int64_t m0 = insert_media(store, "m0");
  const std::int64_t m1 = insert_media(store, "m1");
  const std::int64_t m2 = insert_media(store, "m2");
  const std::int64_t m3 = insert_media(store, "m3");

  Post a = post_row("A", "a", "", PostStatus::kPublished, ada.id, kT0);
  a.cover_media = m0;
  a.media_ids = {m1, m2, m0, m3};
  Post b = post_row("B", "b", "", PostStatus::kDraft, ada.id, kT0);
  b.media_ids = {m2, m0};
  Post c = post_row("C", "c", "", PostStatus::kDraft, ada.id, kT0);
  c.cover_media = m2;
  const Post plain = post_row("D", "d", "", PostStatus::kDraft, ada.id, kT0);
  // Inserted in this order so that c, the cover-only reference, has the
  // smallest id.
  const std::int64_t c_id = insert_post(store, c);
  const std::int64_t a_id = insert_post(store, a);
  const std::int64_t b_id = insert_post(store, b);
  const std::int64_t d_id = insert_post(store, plain);

  store.read([&](Transaction& tx) {
    CHECK(tx.posts().referencing(m0) == Ids{a_id, b_id});  // a once: cover and list
    CHECK(tx.posts().referencing(m1) == Ids{a_id});
    CHECK(tx.posts().referencing(m2) == Ids{c_id, a_id, b_id});
    CHECK(tx.posts().referencing(m3) == Ids{a_id});
    CHECK(tx.posts().referencing(m3 + 100).empty());
  });

  store.write([&](Transaction& tx) { tx.posts().drop_media(m2); });
  std::optional<Post> got = find_post(store, a_id);
  REQUIRE(got.has_value());
  CHECK(got->media_ids == Ids{m1, m0, m3});
  CHECK(got->cover_media == m0);
  got = find_post(store, b_id);
  REQUIRE(got.has_value());
  CHECK(got->media_ids == Ids{m0});
  got = find_post(store, c_id);
  REQUIRE(got.has_value());
  CHECK_FALSE(got->cover_media.has_value());
  CHECK(got->title == "C");
  store.read([&](Transaction& tx) { CHECK(tx.posts().referencing(m2).empty()); });
  // The media row itself stays.
  CHECK(store.read([&](Transaction& tx) { return tx.media().find(m2); }).has_value());

  // Deleting a media row cannot leave a post naming it.
  store.write([&](Transaction& tx) { tx.media().remove(m0); });
  got = find_post(store, a_id);
  REQUIRE(got.has_value());
  CHECK_FALSE(got->cover_media.has_value());
  CHECK(got->media_ids == Ids{m1, m3});
  got = find_post(store, b_id);
  REQUIRE(got.has_value());
  CHECK(got->media_ids.empty());
  store.read([&](Transaction& tx) { CHECK(tx.posts().referencing(m0).empty()); });

  store.write([&](Transaction& tx) { tx.media().remove(m1); });
  CHECK(find_post(store, a_id)->media_ids == Ids{m3});
  CHECK(query_ids(store, {}).size() == 4);
  CHECK(find_post(store, d_id)->media_ids.empty());

  // Removing a post frees its references; the media rows stay.
  store.write([&](Transaction& tx) { tx.posts().remove(a_id); });
  store.read([&](Transaction& tx) {
    CHECK(tx.posts().referencing(m3).empty());
    CHECK(tx.media().find(m3).has_value());
  });
}

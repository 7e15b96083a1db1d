#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/media_samples.h"
#include "taskcore/post_service.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

using Ids = std::vector<std::int64_t>;

PostInput titled(std::string title) {
  PostInput input;
  input.title = std::optional<std::string>(std::move(title));
  return input;
}

PostInput with_status(std::string title, std::string status) {
  PostInput input = titled(std::move(title));
  input.status = std::optional<std::string>(std::move(status));
  return input;
}

PostInput status_only(std::string status) {
  PostInput input;
  input.status = std::optional<std::string>(std::move(status));
  return input;
}

using Messages = std::vector<std::string>;

struct PostFixture : CoreFixture {
  Principal alice = make_user("alice", Role::kMember);
  Principal bob = make_user("bob", Role::kMember);
  Principal viewer = make_user("vic", Role::kViewer);
  Principal manager = make_user("max", Role::kManager);
  Principal admin = make_user("root", Role::kAdmin);

  PostService& posts() { return core->posts(); }

  Ids list_ids(const std::optional<Principal>& reader, const PostFilter& filter = {}) {
    Ids ids;
    for (const Post& p : posts().list(reader, filter, {1, 100}).items) ids.push_back(p.id);
    return ids;
  }

  MediaFile upload_png(const Principal& who) {
    const std::string path = dir.file("upload-" + std::to_string(uploads++) + ".png");
    write_image(path, MediaType::kPng, {16, 12});
    return core->media().upload(who, {{path, "pic.png"}}).front();
  }
  int uploads = 0;
};

}  // namespace

TEST_CASE("posts: slugify") {
  CHECK(slugify("Hello, World!") == "hello-world");
  CHECK(slugify("Café Über Straße") == "cafe-uber-strasse");
  CHECK(slugify("  --Ünïcödé--  ") == "unicode");
  CHECK(slugify("日本語") == "post");
  CHECK(slugify("") == "post");
  CHECK(slugify("!!!") == "post");
  CHECK(slugify("Ærø Łódź") == "aero-lodz");
  // As Django: spaces and hyphens separate words, other punctuation vanishes.
  CHECK(slugify("What's new? Release 2.0 -- now") == "whats-new-release-20-now");
  CHECK(slugify(std::string(100, 'a')) == std::string(80, 'a'));
  // Cut at 80 characters, then no trailing hyphen.
  std::string words, expected;
  for (int i = 0; i < 20; ++i) words += "Abcdefghi ";
  for (int i = 0; i < 7; ++i) expected += "abcdefghi-";
  expected += "abcdefghi";
  const std::string cut = slugify(words);
  CHECK(cut == expected);
  CHECK(cut.size() <= kMaxSlugBaseLength);
  CHECK(cut.back() != '-');
}

TEST_CASE_FIXTURE(PostFixture, "posts: create defaults, author and numbered slugs") {
  const Post first = posts().create(alice, titled("same title"));
  CHECK(first.id > 0);
  CHECK(first.title == "same title");
  CHECK(first.slug == "same-title");
  CHECK(first.body == "");
  CHECK(first.status == PostStatus::kDraft);
  CHECK(first.author == alice.user_id);
  CHECK_FALSE(first.cover_media.has_value());
  CHECK(first.media_ids.empty());
  CHECK(first.created_at == clock->now());
  CHECK(first.updated_at == clock->now());
  CHECK_FALSE(first.published_at.has_value());

  CHECK(posts().create(bob, titled("same title")).slug == "same-title-2");
  const Post third = posts().create(manager, titled("same title"));
  CHECK(third.slug == "same-title-3");
  CHECK(third.author == manager.user_id);
  CHECK(posts().create(alice, titled("Same Title!")).slug == "same-title-4");

  // The slug stays when the title changes.
  clock->advance_s(10);
  PostInput rename = titled("Another name");
  rename.body = std::optional<std::string>("New body");
  const Post renamed = posts().update(alice, first.id, rename, WriteMode::kPartial);
  CHECK(renamed.title == "Another name");
  CHECK(renamed.body == "New body");
  CHECK(renamed.slug == "same-title");
  CHECK(renamed.created_at == first.created_at);
  CHECK(renamed.updated_at == first.created_at + 10'000);
  CHECK(posts().get(alice, first.id).slug == "same-title");
  CHECK(posts().create(alice, titled("Another name")).slug == "another-name");

  // A manager's edit keeps the author.
  CHECK(posts().update(manager, first.id, titled("By max"), WriteMode::kPartial).author ==
        alice.user_id);
}

TEST_CASE_FIXTURE(PostFixture, "posts: published_at is set on first publish and kept") {
  const Post draft = posts().create(alice, titled("Draft first"));
  CHECK_FALSE(draft.published_at.has_value());
  clock->advance_s(60);
  const Timestamp first_publish = clock->now();
  Post p = posts().update(alice, draft.id, status_only("published"), WriteMode::kPartial);
  CHECK(p.status == PostStatus::kPublished);
  CHECK(p.published_at == first_publish);
  clock->advance_s(60);
  p = posts().update(alice, draft.id, status_only("draft"), WriteMode::kPartial);
  CHECK(p.status == PostStatus::kDraft);
  CHECK(p.published_at == first_publish);
  clock->advance_s(60);
  p = posts().update(alice, draft.id, status_only("published"), WriteMode::kPartial);
  CHECK(p.published_at == first_publish);
  CHECK(p.updated_at == first_publish + 120'000);
  CHECK(posts().get(std::nullopt, draft.id).published_at == first_publish);

  clock->advance_s(5);
  const Post direct = posts().create(alice, with_status("Straight out", "published"));
  CHECK(direct.status == PostStatus::kPublished);
  CHECK(direct.published_at == clock->now());
  // PUT keeps what it is not given.
  clock->advance_s(5);
  PostInput put = titled("Straight out, edited");
  const Post replaced = posts().update(alice, direct.id, put, WriteMode::kReplace);
  CHECK(replaced.title == "Straight out, edited");
  CHECK(replaced.status == PostStatus::kPublished);
  CHECK(replaced.published_at == direct.published_at);
}

TEST_CASE_FIXTURE(PostFixture, "posts: validation") {
  const MediaFile pic = upload_png(alice);
  auto create_errors = [&](const PostInput& input) {
    return validation_errors([&] { posts().create(alice, input); });
  };
  CHECK(create_errors(PostInput{}).at("title") == Messages{"This field is required."});
  CHECK(create_errors(titled("   ")).at("title") == Messages{"This field may not be blank."});
  CHECK(create_errors(titled(std::string(201, 'x'))).at("title") ==
        Messages{"Ensure this field has no more than 200 characters."});
  PostInput null_title;
  null_title.title = std::optional<std::string>(std::nullopt);
  CHECK(create_errors(null_title).count("title") == 1);
  CHECK(create_errors(with_status("ok", "x")).at("status") ==
        Messages{"\"x\" is not a valid choice."});
  PostInput body = titled("ok");
  body.body = std::optional<std::string>(std::string(kMaxPostBodyLength + 1, 'b'));
  CHECK(create_errors(body).count("body") == 1);

  PostInput cover = titled("ok");
  cover.cover_media = std::optional<std::int64_t>(pic.id + 1000);
  CHECK(create_errors(cover).at("cover_media") ==
        Messages{"Invalid pk \"" + std::to_string(pic.id + 1000) + "\" - object does not exist."});
  PostInput media = titled("ok");
  media.media_ids = std::optional<std::vector<std::int64_t>>(Ids{pic.id, 987654});
  CHECK(create_errors(media).at("media_ids") ==
        Messages{"Invalid pk \"987654\" - object does not exist."});
  PostInput null_media = titled("ok");
  null_media.media_ids = std::optional<std::vector<std::int64_t>>(std::nullopt);
  CHECK(create_errors(null_media).at("media_ids") == Messages{"This field may not be null."});

  // Every bad field at once, and nothing written.
  PostInput all;
  all.status = std::optional<std::string>("later");
  all.media_ids = std::optional<std::vector<std::int64_t>>(std::nullopt);
  const FieldErrors errors = create_errors(all);
  CHECK(errors.count("title") == 1);
  CHECK(errors.count("status") == 1);
  CHECK(errors.count("media_ids") == 1);
  CHECK(posts().list(admin, {}, {}).count == 0);

  // A title of exactly 200 characters (multi-byte) is fine.
  std::string wide;
  for (int i = 0; i < 200; ++i) wide += "\xc3\xa9";
  CHECK(posts().create(alice, titled(wide)).title == wide);

  // Updates: PUT needs the title, PATCH does not; a failed update changes nothing.
  PostInput good = titled("Keep me");
  good.cover_media = std::optional<std::int64_t>(pic.id);
  const Post post = posts().create(alice, good);
  CHECK(post.cover_media == pic.id);
  clock->advance_s(1);
  CHECK(validation_errors([&] {
          posts().update(alice, post.id, status_only("published"), WriteMode::kReplace);
        }).at("title") == Messages{"This field is required."});
  CHECK(validation_errors([&] {
          posts().update(alice, post.id, cover, WriteMode::kPartial);
        }).count("cover_media") == 1);
  CHECK(validation_errors([&] {
          posts().update(alice, post.id, status_only("x"), WriteMode::kPartial);
        }).at("status") == Messages{"\"x\" is not a valid choice."});
  const Post after = posts().get(alice, post.id);
  CHECK(after.title == "Keep me");
  CHECK(after.status == PostStatus::kDraft);
  CHECK(after.updated_at == post.updated_at);
  // cover_media may be cleared with null.
  PostInput clear;
  clear.cover_media = std::optional<std::int64_t>(std::nullopt);
  CHECK_FALSE(posts().update(alice, post.id, clear, WriteMode::kPartial).cover_media);
}

TEST_CASE_FIXTURE(PostFixture, "posts: drafts are visible to their author, managers and admins") {
  const Post a_draft = posts().create(alice, titled("Alice draft"));
  clock->advance_s(1);
  const Post a_pub = posts().create(alice, with_status("Alice published", "published"));
  clock->advance_s(1);
  const Post b_draft = posts().create(bob, titled("Bob draft"));

  CHECK(list_ids(std::nullopt) == Ids{a_pub.id});
  CHECK(posts().list(std::nullopt, {}, {}).count == 1);
  CHECK(list_ids(viewer) == Ids{a_pub.id});
  CHECK(list_ids(alice) == Ids{a_pub.id, a_draft.id});
  CHECK(list_ids(bob) == Ids{b_draft.id, a_pub.id});
  CHECK(list_ids(manager) == Ids{b_draft.id, a_pub.id, a_draft.id});
  CHECK(list_ids(admin) == Ids{b_draft.id, a_pub.id, a_draft.id});

  CHECK(posts().get(std::nullopt, a_pub.id).title == "Alice published");
  CHECK(error_code([&] { posts().get(std::nullopt, a_draft.id); }) == ErrorCode::kNotFound);
  CHECK(error_code([&] { posts().get(viewer, a_draft.id); }) == ErrorCode::kNotFound);
  CHECK(error_code([&] { posts().get(bob, a_draft.id); }) == ErrorCode::kNotFound);
  CHECK(posts().get(alice, a_draft.id).title == "Alice draft");
  CHECK(posts().get(manager, b_draft.id).title == "Bob draft");
  CHECK(posts().get(admin, a_draft.id).title == "Alice draft");
  CHECK(error_code([&] { posts().get(admin, b_draft.id + 100); }) == ErrorCode::kNotFound);

  // A draft filter cannot reveal others' drafts.
  PostFilter drafts;
  drafts.statuses = {PostStatus::kDraft};
  CHECK(list_ids(std::nullopt, drafts).empty());
  CHECK(list_ids(bob, drafts) == Ids{b_draft.id});
  CHECK(list_ids(manager, drafts) == Ids{b_draft.id, a_draft.id});
}

TEST_CASE_FIXTURE(PostFixture, "posts: permissions") {
  CHECK(error_code([&] { posts().create(viewer, titled("nope")); }) ==
        ErrorCode::kPermissionDenied);
  const Post pub = posts().create(alice, with_status("Alice public", "published"));
  const Post draft = posts().create(alice, titled("Alice private"));
  const PostInput rename = titled("Renamed");

  CHECK(error_code([&] { posts().update(bob, pub.id, rename, WriteMode::kPartial); }) ==
        ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { posts().remove(bob, pub.id); }) == ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { posts().update(viewer, pub.id, rename, WriteMode::kPartial); }) ==
        ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { posts().remove(viewer, pub.id); }) == ErrorCode::kPermissionDenied);
  // Someone else's draft does not exist for them.
  CHECK(error_code([&] { posts().update(bob, draft.id, rename, WriteMode::kPartial); }) ==
        ErrorCode::kNotFound);
  CHECK(error_code([&] { posts().remove(bob, draft.id); }) == ErrorCode::kNotFound);
  CHECK(posts().get(alice, pub.id).title == "Alice public");

  // The author writes its own; managers and admins any.
  CHECK(posts().update(alice, draft.id, rename, WriteMode::kPartial).title == "Renamed");
  CHECK(posts().update(manager, pub.id, titled("By manager"), WriteMode::kPartial).title ==
        "By manager");
  CHECK(posts().update(admin, draft.id, titled("By admin"), WriteMode::kReplace).title ==
        "By admin");
  const Post mine = posts().create(bob, titled("Bob's"));
  posts().remove(bob, mine.id);
  CHECK(error_code([&] { posts().get(bob, mine.id); }) == ErrorCode::kNotFound);
  posts().remove(manager, pub.id);
  posts().remove(admin, draft.id);
  CHECK(posts().list(admin, {}, {}).count == 0);
  CHECK(error_code([&] { posts().remove(admin, draft.id); }) == ErrorCode::kNotFound);
  CHECK(error_code([&] { posts().update(admin, draft.id, rename, WriteMode::kPartial); }) ==
        ErrorCode::kNotFound);
}

TEST_CASE_FIXTURE(PostFixture, "posts: list filters, search, ordering and pages") {
  PostInput cafe = with_status("Café opening", "published");
  cafe.body = std::optional<std::string>("Espresso and croissants");
  const Post p1 = posts().create(alice, cafe);
  clock->advance_s(1);
  PostInput notes = with_status("Release notes", "published");
  notes.body = std::optional<std::string>("The cafe menu ships");
  const Post p2 = posts().create(bob, notes);
  clock->advance_s(1);
  const Post p3 = posts().create(alice, titled("Zed draft"));

  PostFilter f;
  f.statuses = {PostStatus::kPublished};
  CHECK(list_ids(admin, f) == Ids{p2.id, p1.id});
  f.statuses = {PostStatus::kPublished, PostStatus::kDraft};
  CHECK(list_ids(admin, f) == Ids{p3.id, p2.id, p1.id});
  f = {};
  f.authors = {alice.user_id};
  CHECK(list_ids(admin, f) == Ids{p3.id, p1.id});
  CHECK(list_ids(std::nullopt, f) == Ids{p1.id});
  f.authors = {alice.user_id, bob.user_id};
  CHECK(list_ids(std::nullopt, f) == Ids{p2.id, p1.id});
  f = {};
  f.search = "cafe";
  CHECK(list_ids(admin, f) == Ids{p2.id, p1.id});
  f.search = "croiss";
  CHECK(list_ids(std::nullopt, f) == Ids{p1.id});
  f.search = "CAFÉ menu";
  CHECK(list_ids(std::nullopt, f) == Ids{p2.id});
  f.search = "zed";
  CHECK(list_ids(std::nullopt, f).empty());
  CHECK(list_ids(alice, f) == Ids{p3.id});
  f = {};
  f.slug = p2.slug;
  CHECK(list_ids(std::nullopt, f) == Ids{p2.id});
  f = {};
  f.ordering = {{PostOrderField::kTitle, false}};
  CHECK(list_ids(admin, f) == Ids{p1.id, p2.id, p3.id});

  // The query parser feeds the same filters.
  const PostListQuery q = parse_post_list_query(
      {{"status", "draft,published"}, {"author", std::to_string(alice.user_id)},
       {"ordering", "created_at"}, {"page_size", "1"}, {"page", "2"}});
  const Page<Post> page = posts().list(admin, q.filter, q.page);
  CHECK(page.count == 2);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == p3.id);
  CHECK(error_code([&] { posts().list(admin, {}, {3, 2}); }) == ErrorCode::kNotFound);
  f = {};
  f.search = "nothing-matches-this";
  const Page<Post> empty = posts().list(std::nullopt, f, {});
  CHECK(empty.count == 0);
  CHECK(empty.items.empty());
}

TEST_CASE_FIXTURE(PostFixture, "posts: media references and the media delete cascade") {
  const MediaFile m1 = upload_png(alice);
  const MediaFile m2 = upload_png(alice);
  const MediaFile m3 = upload_png(bob);

  PostInput with_media = titled("Gallery");
  with_media.cover_media = std::optional<std::int64_t>(m1.id);
  with_media.media_ids = std::optional<std::vector<std::int64_t>>(Ids{m3.id, m1.id, m2.id});
  const Post p1 = posts().create(alice, with_media);
  CHECK(p1.cover_media == m1.id);
  CHECK(p1.media_ids == Ids{m3.id, m1.id, m2.id});
  CHECK(posts().get(alice, p1.id).media_ids == Ids{m3.id, m1.id, m2.id});
  PostInput list_only = titled("Second");
  list_only.media_ids = std::optional<std::vector<std::int64_t>>(Ids{m1.id});
  const Post p2 = posts().create(bob, list_only);
  const Post p3 = posts().create(bob, titled("No media"));

  CHECK(core->media().get(viewer, m1.id).referenced_by == Ids{p1.id, p2.id});
  CHECK(core->media().get(viewer, m2.id).referenced_by == Ids{p1.id});
  CHECK(core->media().get(viewer, m3.id).referenced_by == Ids{p1.id});

  core->media().remove(alice, m1.id);
  const Post a1 = posts().get(alice, p1.id);
  CHECK_FALSE(a1.cover_media.has_value());
  CHECK(a1.media_ids == Ids{m3.id, m2.id});
  CHECK(posts().get(bob, p2.id).media_ids.empty());
  CHECK(posts().get(bob, p3.id).title == "No media");

  // PATCH replaces media_ids.
  PostInput replace;
  replace.media_ids = std::optional<std::vector<std::int64_t>>(Ids{m2.id});
  CHECK(posts().update(alice, p1.id, replace, WriteMode::kPartial).media_ids == Ids{m2.id});
  CHECK(core->media().get(viewer, m3.id).referenced_by.empty());
  CHECK(core->media().get(viewer, m2.id).referenced_by == Ids{p1.id});
  // A deleted post references nothing.
  posts().remove(alice, p1.id);
  CHECK(core->media().get(viewer, m2.id).referenced_by.empty());
}

TEST_CASE_FIXTURE(PostFixture, "posts: create, update and delete are audited") {
  const Post post = posts().create(alice, titled("Audited"));
  clock->advance_s(1);
  posts().update(alice, post.id, status_only("published"), WriteMode::kPartial);
  // Failures write nothing.
  CHECK_THROWS_AS(posts().update(alice, post.id, status_only("x"), WriteMode::kPartial), Error);
  CHECK_THROWS_AS(posts().create(viewer, titled("no")), Error);
  clock->advance_s(1);
  posts().remove(alice, post.id);

  AuditFilter filter;
  filter.actions = {kAuditPostCreate, kAuditPostUpdate, kAuditPostDelete};
  const Page<AuditEntry> audit = core->audit().list(admin, filter, {});
  REQUIRE(audit.count == 3);
  CHECK(std::string(kAuditPostCreate) == "post_create");
  CHECK(std::string(kAuditPostUpdate) == "post_update");
  CHECK(std::string(kAuditPostDelete) == "post_delete");
  CHECK(audit.items[0].action == "post_delete");
  CHECK(audit.items[1].action == "post_update");
  CHECK(audit.items[2].action == "post_create");
  for (const AuditEntry& entry : audit.items) {
    CAPTURE(entry.action);
    CHECK(entry.actor_id == alice.user_id);
    CHECK(entry.target_type == "post");
    CHECK(entry.target_id == post.id);
  }
  CHECK(audit.items[2].timestamp == post.created_at);
}

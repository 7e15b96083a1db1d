#include "json/post_json.h"

#include "json/filters_applied.h"
#include "taskcore/time.h"

namespace taskcore::server {
namespace {

void read_media_ids(const Json& body, PostInput& input) {
  const auto it = body.find("media_ids");
  if (it == body.end()) return;
  if (it->is_null()) {
    input.media_ids = std::optional<std::vector<std::int64_t>>{};
    return;
  }
  if (!it->is_array()) {
    input.decode_errors["media_ids"].push_back(
        std::string("Expected a list of items but got type \"") + it->type_name() + "\".");
    return;
  }
  std::vector<std::int64_t> ids;
  for (const Json& item : *it) {
    if (auto id = decode_int64(item, "media_ids", input.decode_errors)) ids.push_back(*id);
    else return;
  }
  input.media_ids = std::move(ids);
}

}  // namespace

void write_post(JsonWriter& out, const Post& post) {
  out.begin_object()
      .key("id").number(post.id)
      .key("title").string(post.title)
      .key("slug").string(post.slug)
      .key("body").string(post.body)
      .key("status").string(post_status_name(post.status))
      .key("author").optional_number(post.author)
      .key("cover_media").optional_number(post.cover_media)
      .key("media_ids").begin_array();
  for (const std::int64_t id : post.media_ids) out.number(id);
  out.end_array()
      .key("created_at").string(format_timestamp(post.created_at))
      .key("updated_at").string(format_timestamp(post.updated_at))
      .key("published_at").optional(post.published_at, [](JsonWriter& w, Timestamp t) {
        w.string(format_timestamp(t));
      })
      .end_object();
}

std::string post_json_text(const Post& post) {
  JsonWriter out(512 + post.body.size());
  write_post(out, post);
  return out.take();
}

PostInput post_input_from_json(const Json& body) {
  PostInput input;
  read_nullable_string(body, "title", input.title, input.decode_errors);
  read_nullable_string(body, "body", input.body, input.decode_errors);
  read_nullable_string(body, "status", input.status, input.decode_errors);
  read_nullable_id(body, "cover_media", input.cover_media, input.decode_errors);
  read_media_ids(body, input);
  return input;
}

Json post_filters_applied(const PostFilter& filter) {
  Json applied = Json::object();
  if (!filter.statuses.empty()) {
    Json names = Json::array();
    for (const PostStatus s : filter.statuses) names.push_back(std::string(post_status_name(s)));
    applied["status"] = std::move(names);
  }
  if (!filter.authors.empty()) applied["author"] = filter.authors;
  if (filter.search) applied["search"] = *filter.search;
  if (filter.slug) applied["slug"] = *filter.slug;
  add_ordering_applied(applied, filter.ordering, post_ordering_term_name);
  return applied;
}

}  // namespace taskcore::server

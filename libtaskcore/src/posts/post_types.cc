#include "core/filter_params.h"
#include "taskcore/error.h"
#include "taskcore/post.h"
#include "util/text.h"

namespace taskcore {
namespace {

constexpr std::string_view kOrderingNames[] = {"created_at", "updated_at", "published_at",
                                               "title"};
constexpr PostOrderField kOrderingFields[] = {PostOrderField::kCreatedAt,
                                              PostOrderField::kUpdatedAt,
                                              PostOrderField::kPublishedAt,
                                              PostOrderField::kTitle};

}  // namespace

std::string_view post_status_name(PostStatus status) {
  return status == PostStatus::kPublished ? "published" : "draft";
}

std::optional<PostStatus> parse_post_status(std::string_view name) {
  if (name == "draft") return PostStatus::kDraft;
  if (name == "published") return PostStatus::kPublished;
  return std::nullopt;
}

std::string post_ordering_term_name(const PostOrderTerm& term) {
  return (term.descending ? "-" : "") +
         std::string(kOrderingNames[static_cast<std::size_t>(term.field)]);
}

std::vector<PostOrderTerm> PostFilter::effective_ordering() const {
  if (ordering.empty()) return {{PostOrderField::kCreatedAt, true}};
  return ordering;
}

PostFilter parse_post_filter(const QueryParams& params) {
  FieldErrorCollector errors;
  PostFilter filter;
  filter.statuses = read_choices<PostStatus>(params, "status", parse_post_status, errors);
  filter.authors = read_ids(params, "author", errors);
  filter.search = read_search(params, errors);
  if (const std::string* slug = params.last("slug")) {
    const auto text = util::trim(*slug);
    if (!util::is_valid_utf8(text)) errors.add("slug", "Invalid UTF-8 text.");
    else if (!text.empty()) filter.slug = std::string(text);
  }
  for (const OrderingKey key : read_ordering_keys(params, kOrderingNames, errors))
    filter.ordering.push_back({kOrderingFields[key.index], key.descending});
  errors.throw_if_any("Invalid filter.");
  return filter;
}

}  // namespace taskcore

// Query strings: decoding, every list's filter and page parsing, and the
// pagination links rebuilt from them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "taskcore/audit.h"
#include "taskcore/error.h"
#include "taskcore/media.h"
#include "taskcore/post.h"
#include "taskcore/task_filter.h"
#include "taskcore/user.h"
#include "util/url.h"

using namespace taskcore;
using namespace taskcore::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  const QueryItems items = parse_query_string(query);
  const QueryParams params = to_query_params(items);
  try {
    const TaskListQuery tasks = parse_task_list_query(params);
    for (const TaskOrderTerm& term : tasks.filter.effective_ordering()) ordering_term_name(term);
    if (tasks.filter.search) search_words(*tasks.filter.search);
  } catch (const Error&) {
  }
  try {
    const PostListQuery posts = parse_post_list_query(params);
    for (const PostOrderTerm& term : posts.filter.effective_ordering())
      post_ordering_term_name(term);
  } catch (const Error&) {
  }
  try {
    parse_media_list_query(params);
  } catch (const Error&) {
  }
  try {
    parse_user_list_query(params);
  } catch (const Error&) {
  }
  try {
    parse_audit_list_query(params);
  } catch (const Error&) {
  }
  // A link rebuilt from the items parses back to the same items, page aside.
  const std::string link = url_with_param("http://h/p", items, "page", std::string("2"));
  const auto [path, rebuilt] = split_target(std::string_view(link).substr(8));
  if (path != "/p") __builtin_trap();
  const QueryItems again = parse_query_string(rebuilt);
  QueryItems without_page;
  for (const auto& item : items)
    if (item.first != "page") without_page.push_back(item);
  std::size_t pages = 0;
  for (const auto& item : again) pages += item.first == "page";
  if (pages != 1 || again.size() != without_page.size() + 1) __builtin_trap();
  return 0;
}

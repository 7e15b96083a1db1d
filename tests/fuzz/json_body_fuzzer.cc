// Request bodies: the server's JSON decoding of every body it reads, then
// the core's validation of what came out (both see outside input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/task_rules.h"
#include "posts/post_rules.h"
#include "json/body.h"
#include "json/bulk_json.h"
#include "json/post_json.h"
#include "json/task_json.h"
#include "json/user_json.h"
#include "taskcore/error.h"

using namespace taskcore;
using namespace taskcore::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const Json object = parse_json_object(body);
    for (const WriteMode mode : {WriteMode::kCreate, WriteMode::kReplace, WriteMode::kPartial}) {
      Task task;
      task.title = "existing";
      try {
        apply_task_input(task_input_from_json(object), mode, task);
        // Whatever validation let through serializes as valid JSON.
        Json::parse(task_json_text(task));
      } catch (const Error&) {
      }
    }
    for (const WriteMode mode : {WriteMode::kCreate, WriteMode::kReplace, WriteMode::kPartial}) {
      Post post;
      post.title = "existing";
      try {
        apply_post_input(post_input_from_json(object), mode, post);
        post.slug = slugify(post.title);
        if (post.slug.empty() || post.slug.size() > kMaxSlugBaseLength) __builtin_trap();
        Json::parse(post_json_text(post));
      } catch (const Error&) {
      }
    }
    bulk_update_from_json(object);
    bulk_delete_from_json(object);
    new_user_input_from_json(object);
    user_update_from_json(object);
  } catch (const Error&) {
    // Refusals are answers, not failures.
  }
  return 0;
}

#pragma once

#include <string>

#include "json/body.h"
#include "json/writer.h"
#include "taskcore/post.h"

namespace taskcore::server {

// A Post of CONTRACT §4.
void write_post(JsonWriter& out, const Post& post);
std::string post_json_text(const Post& post);
// The body of a create or update, decoded as DRF's serializer would; the
// core validates the values.
PostInput post_input_from_json(const Json& body);
Json post_filters_applied(const PostFilter& filter);

}  // namespace taskcore::server

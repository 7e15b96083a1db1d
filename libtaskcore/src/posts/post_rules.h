#pragma once

#include "taskcore/post.h"
#include "taskcore/task.h"

namespace taskcore {

// Validates `input` for `mode` and applies it to `post`; one
// validation_error names every bad field (with the input's decode_errors),
// and `post` is unchanged then. Whether the media exist is checked by the
// service inside the write transaction.
void apply_post_input(const PostInput& input, WriteMode mode, Post& post);

}  // namespace taskcore

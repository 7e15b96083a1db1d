#pragma once

#include <string_view>

#include "storage/sql/dialect.h"
#include "taskcore/media.h"
#include "taskcore/pagination.h"

namespace taskcore::sql {

// The media list as SQL over table `media` (file_type as its name text,
// upload_date in ms), in the filter's effective ordering with ties broken
// by id in the direction of the first term.
PagedSelect build_media_select(const MediaFilter& filter, Dialect dialect,
                               std::string_view columns, const PageRequest& page);

}  // namespace taskcore::sql

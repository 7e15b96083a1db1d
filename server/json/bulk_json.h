#pragma once

#include "json/body.h"
#include "taskcore/bulk.h"

namespace taskcore::server {

// {task_ids: [...], updates: {...}}. Type errors land in decode_errors under
// "task_ids" / "updates" / "updates.<field>"; every key of `updates` goes to
// update_keys (the core refuses those it may not bulk-update).
BulkUpdateInput bulk_update_from_json(const Json& body);
BulkDeleteInput bulk_delete_from_json(const Json& body);

// {<count_key>: N, <failures_key>: [{task_id, error: {code, message}}]}.
Json bulk_result_to_json(const BulkResult& result, const char* count_key,
                         const char* failures_key);

}  // namespace taskcore::server

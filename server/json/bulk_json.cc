#include "json/bulk_json.h"

#include "json/task_json.h"

namespace taskcore::server {
namespace {

std::vector<std::int64_t> decode_ids(const Json& body, FieldErrors& errors) {
  const auto it = body.find("task_ids");
  if (it == body.end()) {
    errors["task_ids"].push_back(kRequired);
    return {};
  }
  if (!it->is_array()) {
    errors["task_ids"].push_back(std::string("Expected a list of items but got type \"") +
                                 it->type_name() + "\".");
    return {};
  }
  std::vector<std::int64_t> ids;
  ids.reserve(it->size());
  FieldErrors element_errors;
  for (const Json& value : *it) {
    if (auto id = decode_int64(value, "task_ids", element_errors)) ids.push_back(*id);
  }
  // One message for the list, however many elements were wrong.
  if (!element_errors.empty()) errors["task_ids"].push_back(kNotAnInteger);
  return ids;
}

}  // namespace

BulkUpdateInput bulk_update_from_json(const Json& body) {
  BulkUpdateInput input;
  input.task_ids = decode_ids(body, input.decode_errors);
  const auto updates = body.find("updates");
  if (updates == body.end()) {
    input.decode_errors["updates"].push_back(kRequired);
  } else if (!updates->is_object()) {
    input.decode_errors["updates"].push_back(
        std::string("Expected a dictionary of items but got type \"") +
        updates->type_name() + "\".");
  } else {
    // Values are decoded like a PATCH body; the core names their errors
    // "updates.<field>" and decides which keys may be bulk-updated.
    input.updates = task_input_from_json(*updates);
    for (const auto& [key, value] : updates->items()) input.update_keys.push_back(key);
  }
  return input;
}

BulkDeleteInput bulk_delete_from_json(const Json& body) {
  BulkDeleteInput input;
  input.task_ids = decode_ids(body, input.decode_errors);
  return input;
}

Json bulk_result_to_json(const BulkResult& result, const char* count_key,
                         const char* failures_key) {
  Json failures = Json::array();
  for (const BulkFailure& failure : result.failures)
    failures.push_back({{"task_id", failure.task_id},
                        {"error",
                         {{"code", std::string(error_code_name(failure.code))},
                          {"message", failure.message}}}});
  return {{count_key, result.succeeded}, {failures_key, std::move(failures)}};
}

}  // namespace taskcore::server

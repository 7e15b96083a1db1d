#pragma once

#include "json/body.h"
#include "json/writer.h"
#include "taskcore/task.h"
#include "taskcore/task_filter.h"

namespace taskcore::server {

// {id, title, description, status, priority, category, project, due_date,
//  assigned_to, created_by, created_at, updated_at}, in that order.
void write_task(JsonWriter& out, const Task& task);
std::string task_json_text(const Task& task);

// Create / PUT / PATCH body. Fields of the wrong JSON type land in
// decode_errors (the core reports them with its own findings); read-only
// and unknown fields are ignored.
TaskInput task_input_from_json(const Json& body);

// The task list's filters_applied (CONTRACT §3): only the filters given.
Json task_filters_applied(const TaskFilter& filter);

}  // namespace taskcore::server

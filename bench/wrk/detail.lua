-- GET /api/tasks/{id}/ over random ids in 1..MAX_ID (env TASK_MAX_ID).
local max_id = tonumber(os.getenv("TASK_MAX_ID") or "1000")
local token = os.getenv("TOKEN")

request = function()
  local path = "/api/tasks/" .. math.random(1, max_id) .. "/"
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

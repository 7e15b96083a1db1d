-- POST /api/tasks/ with a small realistic body.
local token = os.getenv("TOKEN")
local counter = 0

request = function()
  counter = counter + 1
  local body = string.format(
    '{"title":"bench task %d","description":"created by wrk","status":"todo",' ..
    '"priority":"high","category":"web","project":"apollo","due_date":"2026-05-01"}',
    counter)
  return wrk.format("POST", "/api/tasks/", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

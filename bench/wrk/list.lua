-- GET /api/tasks/?page_size=20 (the list route), authenticated (env TOKEN).
local token = os.getenv("TOKEN")

request = function()
  return wrk.format("GET", "/api/tasks/?page_size=20", {["Authorization"] = "Bearer " .. token})
end

-- GET one stored file (env MEDIA_PATH) with a Range of RANGE_BYTES bytes at
-- a random offset within its first MEDIA_SIZE bytes.
local path = os.getenv("MEDIA_PATH")
local size = tonumber(os.getenv("MEDIA_SIZE") or "1048576")
local span = tonumber(os.getenv("RANGE_BYTES") or "65536")

request = function()
  local first = math.random(0, size - span)
  return wrk.format("GET", path, {["Range"] = "bytes=" .. first .. "-" .. (first + span - 1)})
end

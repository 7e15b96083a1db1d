-- POST /api/blog/media/upload/ with one file (env MEDIA_FILE) as multipart.
local token = os.getenv("TOKEN")
local file = assert(io.open(os.getenv("MEDIA_FILE"), "rb"))
local bytes = file:read("*a")
file:close()
local boundary = "----taskcore-wrk"
local body = "--" .. boundary .. "\r\n" ..
  "Content-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n" ..
  "Content-Type: image/jpeg\r\n\r\n" .. bytes .. "\r\n--" .. boundary .. "--\r\n"

request = function()
  return wrk.format("POST", "/api/blog/media/upload/", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }, body)
end

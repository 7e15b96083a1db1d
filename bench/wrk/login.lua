-- POST /api/auth/login/ with the right password (argon2id-bound).
request = function()
  return wrk.format("POST", "/api/auth/login/", {["Content-Type"] = "application/json"},
    '{"username":"bench_admin","password":"bench-password"}')
end

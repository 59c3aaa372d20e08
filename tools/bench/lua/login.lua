-- POST /login with valid credentials. BENCH_USERNAME logs in the same user every time; with
-- BENCH_SEED_USERS=N each request logs in a random seeded user seed0..seed{N-1} (all share one password).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "common.lua")

local username = os.getenv("BENCH_USERNAME") or "benchuser"
local password = os.getenv("BENCH_PASSWORD") or "bench password 0123456789"
local seeded = tonumber(os.getenv("BENCH_SEED_USERS") or "")
local headers = { ["Content-Type"] = "application/json" }

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"username":"%s","password":"%s"}', username, password)

if seeded then
  local ids = 0
  function extra_setup(thread) ids = ids + 1; thread:set("tid", ids) end
  function init(args) math.randomseed(os.time() * 1000 + (tid or 0)) end
  function request()
    local body = string.format('{"username":"seed%d","password":"%s"}', math.random(0, seeded - 1), password)
    return wrk.format("POST", "/login", headers, body)
  end
end

dofile(here .. "steady.lua")

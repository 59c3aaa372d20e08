-- POST /register with a fresh user every request: thread id + per-thread counter + random, so no two
-- requests of a run (nor, very likely, of two runs) share a username or an email.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "common.lua")

local password = os.getenv("BENCH_PASSWORD") or "bench password 0123456789"
local headers = { ["Content-Type"] = "application/json" }
local ids = 0
local counter = 0

function extra_setup(thread) ids = ids + 1; thread:set("tid", ids) end
function init(args) math.randomseed(os.time() * 1000 + (tid or 0)) end

function request()
  counter = counter + 1
  local name = string.format("r%dx%dx%d", tid or 0, counter, math.random(0, 999999))
  local body = string.format('{"username":"%s","email":"%s@bench.example","password":"%s"}', name, name, password)
  return wrk.format("POST", "/register", headers, body)
end

dofile(here .. "steady.lua")

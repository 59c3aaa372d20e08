-- The login flood: POST /login with valid credentials as fast as the connections allow, counting statuses
-- and whether each 503 carried Retry-After. (A response() hook costs wrk some CPU; this side is the load,
-- not the measurement.)
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "login.lua")

local threads = {}
function setup(thread) table.insert(threads, thread) end

ok, s503, s503_retry_after, s4xx, s5xx_other = 0, 0, 0, 0, 0
function response(status, headers, body)
  if status < 300 then ok = ok + 1
  elseif status == 503 then
    s503 = s503 + 1
    if headers["Retry-After"] or headers["retry-after"] then s503_retry_after = s503_retry_after + 1 end
  elseif status >= 500 then s5xx_other = s5xx_other + 1
  elseif status >= 400 then s4xx = s4xx + 1 end
end

function extra_done()
  local t = { ok = 0, s503 = 0, s503_retry_after = 0, s4xx = 0, s5xx_other = 0 }
  for _, thread in ipairs(threads) do
    for k in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
  end
  io.write(string.format("FLOOD ok=%d s503=%d s503_retry_after=%d s4xx=%d s5xx_other=%d\n",
    t.ok, t.s503, t.s503_retry_after, t.s4xx, t.s5xx_other))
end

-- For the bcrypt-bound scenarios: with 32 connections and a few requests a second, the first responses
-- arrive only after seconds, so requests / duration under-counts the rate. This counts successful (2xx)
-- completions per wall-clock second and reports the rate over whole seconds after the first
-- BENCH_STEADY_SKIP seconds (wrk's own figures stay as they are). SliceAuth answers logins beyond what its
-- bcrypt threads can serve within Auth:HashingMaxWait with 503 + Retry-After: those are counted apart, and
-- any other non-2xx is reported so run.sh can call it broken.
local threads = {}
local skip = tonumber(os.getenv("BENCH_STEADY_SKIP") or "") or 3
function setup(thread) table.insert(threads, thread); if extra_setup then extra_setup(thread) end end

buckets = {}
busy = 0
other = 0
function response(status, headers, body)
  if status >= 200 and status < 300 then
    local now = os.time()
    buckets[now] = (buckets[now] or 0) + 1
  elseif status == 503 then
    busy = busy + 1
  else
    other = other + 1
  end
  if extra_response then extra_response(status, headers) end
end

local previous_extra_done = extra_done
function extra_done()
  local all, first, last, busy_all, other_all = {}, nil, nil, 0, 0
  for _, thread in ipairs(threads) do
    busy_all = busy_all + (thread:get("busy") or 0)
    other_all = other_all + (thread:get("other") or 0)
    for second, n in pairs(thread:get("buckets")) do
      all[second] = (all[second] or 0) + n
      if not first or second < first then first = second end
      if not last or second > last then last = second end
    end
  end
  if first then
    -- the run started about when the earliest second with a completion began, at the latest
    local from, to, n = (started or first) + skip, last - 1, 0
    for s = from, to do n = n + (all[s] or 0) end
    if to >= from then io.write(string.format("STEADY rate=%.2f seconds=%d\n", n / (to - from + 1), to - from + 1)) end
  end
  io.write(string.format("OUTCOMES busy503=%d other_non2xx=%d\n", busy_all, other_all))
  if previous_extra_done then previous_extra_done() end
end
started = os.time()

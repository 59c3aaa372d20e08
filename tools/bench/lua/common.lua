-- Shared by every bench script: done() prints one machine-readable line that tools/bench/run.sh parses.
-- wrk counts a response with a status of 400 or more as a "status error": that is the non-2xx figure.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write, e.timeout))
  if extra_done then extra_done() end
end

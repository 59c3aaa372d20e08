#!/usr/bin/env bash
# Where the time of GET /protected goes: a CPU profile of SliceAuth (Release) under wrk, with Linux perf and
# the runtime's perf map (DOTNET_PerfMapEnabled=1; ReadyToRun off so framework methods are JIT'd and named;
# W^X off, or JIT'd code sits in a memfd double mapping that perf cannot match with the map).
#   bash tools/bench/profile.sh [seconds, default 15]
# Prints the top self-time symbols and, for a few groups (data protection, LiteDB, FastEndpoints, the cookie
# handler, ...), the share of samples whose stack passes through them (inclusive; groups overlap).
# Needs perf (Debian's linux-perf, installed here if missing) and wrk. Port 5403.
set -uo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
SECONDS_TO_PROFILE=${1:-15}
URL=http://127.0.0.1:5403
PASSWORD="bench password 0123456789"

for tool in perf wrk; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    "$([[ $tool == perf ]] && echo linux-perf || echo wrk)" >/dev/null 2>&1; } || { echo "cannot install $tool" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/sliceauth-profile.XXXXXX)
PID=
cleanup() { [[ -n $PID ]] && kill -TERM "$PID" 2>/dev/null && sleep 1; rm -rf "$WORK"; rm -f "/tmp/perf-$PID.map" "/tmp/perfinfo-$PID.map"; }
trap cleanup EXIT

timeout 600 dotnet build "$ROOT/SliceAuth.csproj" -c Release -o "$WORK/app" -nologo -v q >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }
(cd "$WORK/app" && exec env Storage__DataDirectory="$WORK/data" Auth__BcryptWorkFactor=4 RateLimiting__Enabled=false \
  ASPNETCORE_ENVIRONMENT=Production DOTNET_PerfMapEnabled=1 DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0 \
  dotnet SliceAuth.dll --urls "$URL" >"$WORK/app.log" 2>&1) &
PID=$!
for ((i = 0; i < 600; i++)); do [[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/health/ready") == 200 ]] && break; sleep 0.1; done
curl -s -o /dev/null -X POST "$URL/register" -H 'Content-Type: application/json' \
  -d "{\"username\":\"benchuser\",\"email\":\"benchuser@bench.example\",\"password\":\"$PASSWORD\"}"
COOKIE=$(curl -s -o /dev/null -D - -X POST "$URL/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"benchuser\",\"password\":\"$PASSWORD\"}" | tr -d '\r' | sed -nE 's/^[Ss]et-[Cc]ookie: ([^;]+);.*/\1/p' | head -1)
[[ -n $COOKIE ]] || { echo "login failed" >&2; exit 1; }

# warm up until the JIT has tiered up, then profile a steady run
wrk -t2 -c32 -d5s -H "Cookie: $COOKIE" "$URL/protected" >/dev/null
wrk -t2 -c32 -d$((SECONDS_TO_PROFILE + 2))s -H "Cookie: $COOKIE" "$URL/protected" >"$WORK/wrk.txt" &
WRK=$!
sleep 1
perf record -F 499 -g -p "$PID" -o "$WORK/perf.data" -- sleep "$SECONDS_TO_PROFILE" >/dev/null 2>&1
wait $WRK
grep -E 'Requests/sec|Latency' "$WORK/wrk.txt"

perf script -i "$WORK/perf.data" 2>/dev/null >"$WORK/perf.txt"
echo
echo "Top symbols by self time (share of all samples of the SliceAuth process):"
perf report -i "$WORK/perf.data" --no-children -g none --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -25 | cut -c1-160
echo
echo "Inclusive share by group (a sample counts for each group any of its frames belongs to):"
awk -v RS= '
  BEGIN {
    n = split("data protection (cookie unprotect)|DataProtection;"                                         \
      "session store: own code + LiteDB|SliceAuth.Auth.SessionStore;"                                        \
      "LiteDB (all of it)|LiteDB\\.;" \
      "  LiteDB: LINQ predicate -> BsonExpression, per query|BsonExpressionParser|LinqExpressionVisitor|System.Linq.Expressions|ParseFullExpression;" \
      "  LiteDB: reading pages + mapping the document|BsonMapper|BufferReader|BsonDocument|DataService|IndexService|CollectionPage;" \
      "  LiteDB: locks + transactions|TransactionService|TransactionMonitor|LockService|AutoTransaction;"                                                                    \
      "SHA-256 of the token|SHA256|HashProviderDispenser|EvpHashProvider;"                                   \
      "cookie authentication handler|CookieAuthenticationHandler;"                                          \
      "authentication middleware|AuthenticationMiddleware;"                                                  \
      "authorization middleware + policy|AuthorizationMiddleware|PolicyEvaluator;"                           \
      "FastEndpoints|FastEndpoints;"                                                                         \
      "System.Text.Json|System.Text.Json;"                                                                  \
      "Kestrel HTTP/1.1 + sockets|Kestrel|System.Net.Sockets;"                                              \
      "garbage collector|gc_heap|GCHeap|WKS::|SVR::|GarbageCollect;"                                      \
      "JIT|clrjit|libclrjit;"                                                                                \
      "kernel (syscalls, TCP, scheduler)|kernel.kallsyms", groups, ";")
    for (i = 1; i <= n; i++) { split(groups[i], g, "|"); name[i] = g[1]; pattern[i] = substr(groups[i], length(g[1]) + 2) }
  }
  { total++; for (i = 1; i <= n; i++) if ($0 ~ pattern[i]) hit[i]++ }
  END { for (i = 1; i <= n; i++) printf "  %5.1f %%  %s\n", 100 * hit[i] / total, name[i]; printf "  (%d samples)\n", total }
' "$WORK/perf.txt"

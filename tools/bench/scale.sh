#!/usr/bin/env bash
# SliceAuth scale-out benchmark (issue 11): `bash tools/bench/scale.sh` (full, ~6 min) or `--smoke` (~2 min).
# Separate from run.sh (issue 5's scenarios); see "Several instances (PostgreSQL)" in tools/bench/README.md.
#
#  1. Login throughput on the PostgreSQL provider behind nginx: (a) one SliceAuth instance pinned to core 0,
#     (b) two instances pinned to cores 0 and 1, nginx round-robin over both (upstream with keepalive).
#     Target: (b) >= 1.8x (a).
#  2. GET /protected with a session on PostgreSQL (default session cache) vs LiteDB in the same run,
#     target >= 0.9x; and on PostgreSQL with Sessions:Cache=Off (reported, no target).
#
# A benchmark, not a test: the exit code is non-zero only when something broke (a build, a server or nginx that
# did not start, wrk failing, a status no scenario may see), never for a missed target.
#
# Options (environment variables SCALE_<NAME> in capitals work too):
#   --smoke                  short runs (login 6 s, GET 2 s, 1 round), no README
#   --rounds N               rounds of 1a/1b and of 2a/2b, alternated; the median is reported (full 3, smoke 1)
#   --login-duration S       seconds per login case (full 20, smoke 6)
#   --duration S             seconds per GET case (full 10, smoke 2)
#   --accounts N             accounts the login flood spreads over (default 64)
#   --login-connections C    wrk connections for the login cases (default 8)
#   --work-factor W          Auth:BcryptWorkFactor (default 10)
#   --no-readme              print only; leave tools/bench/README.md alone (smoke never writes it)
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
LUA=$BENCH_DIR/lua

ARGS="$*"
MODE=full
LOGIN_DURATION=${SCALE_LOGIN_DURATION:-}
DURATION=${SCALE_DURATION:-}
ACCOUNTS=${SCALE_ACCOUNTS:-64}
LOGIN_CONNECTIONS=${SCALE_LOGIN_CONNECTIONS:-8}
WORK_FACTOR=${SCALE_WORK_FACTOR:-10}
ROUNDS=${SCALE_ROUNDS:-}
WRITE_README=1
while (($#)); do
  case $1 in
    --smoke) MODE=smoke ;;
    --rounds) ROUNDS=$2; shift ;;
    --login-duration) LOGIN_DURATION=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --accounts) ACCOUNTS=$2; shift ;;
    --login-connections) LOGIN_CONNECTIONS=$2; shift ;;
    --work-factor) WORK_FACTOR=$2; shift ;;
    --no-readme) WRITE_README=0 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [[ $MODE == smoke ]]; then
  LOGIN_DURATION=${LOGIN_DURATION:-6}; DURATION=${DURATION:-2}; ROUNDS=${ROUNDS:-1}; WARMUP=1; QUIET_WAIT=10; WRITE_README=0
else
  LOGIN_DURATION=${LOGIN_DURATION:-20}; DURATION=${DURATION:-10}; ROUNDS=${ROUNDS:-3}; WARMUP=3; QUIET_WAIT=60
fi
PASSWORD="bench password 0123456789"
NGINX_ONE=5410   # nginx -> instance A only
NGINX_TWO=5409   # nginx -> A and B, round-robin
PORT_A=5411
PORT_B=5412
PG_PORT=55411
PSQL=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
CLK_TCK=$(getconf CLK_TCK)
COMMAND="bash tools/bench/scale.sh${ARGS:+ $ARGS}"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')

BROKEN=()
broke() { echo "BROKEN: $*" >&2; BROKEN+=("$*"); }
die() { echo "FATAL: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

# The postgres user must reach the cluster directory: /tmp is world-traversable, the work directory is made so.
WORK=$(mktemp -d /tmp/sliceauth-scale.XXXXXX)
chmod 755 "$WORK"
PIDS=()
PG_STARTED=0
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  ((PG_STARTED)) && bash "$ROOT/tools/postgres/server.sh" stop "$WORK/pg" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() { # SIGTERM, then SIGKILL after 15 s; only processes this script started
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------- tools
apt_install() { # package: Debian's, with apt-get (the service is not started: nginx runs below in the foreground)
  log "installing $1 (Debian package)"
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; }; } >"$WORK/apt-$1.log" 2>&1 ||
    { cat "$WORK/apt-$1.log" >&2; die "could not install $1"; }
}
command -v wrk >/dev/null || apt_install wrk
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || apt_install nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v taskset >/dev/null || die "taskset (util-linux) is needed"
command -v curl >/dev/null || die "curl is needed"
for port in $NGINX_ONE $NGINX_TWO $PORT_A $PORT_B; do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && die "port $port is already in use"
done
(($(nproc) >= 2)) || die "needs at least 2 cores (taskset -c 0 and -c 1)"

log "building Release (SliceAuth)"
timeout 600 dotnet build "$ROOT/SliceAuth.csproj" -c Release -o "$WORK/app" -nologo -v q >"$WORK/build.log" 2>&1 ||
  { tail -30 "$WORK/build.log" >&2; die "build failed"; }

log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
PG_STARTED=1
PG_CS=$(bash "$ROOT/tools/postgres/server.sh" start "$WORK/pg" "$PG_PORT") || die "PostgreSQL did not start"
[[ -n $PSQL ]] || die "no psql"
PG_VERSION=$("$PSQL" "host=127.0.0.1 port=$PG_PORT user=sliceauth dbname=postgres" -Atc "show server_version" 2>&1) || die "psql: $PG_VERSION"
for db in logins reads; do
  "$PSQL" "host=127.0.0.1 port=$PG_PORT user=sliceauth dbname=postgres" -qc "create database $db" >/dev/null || die "could not create database $db"
done
PEPPER=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=') # every instance the same; never printed

# ------------------------------------------------------------------------------------ process readings
ticks_of() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}'; } # own + reaped children
tree_of() { local p; for p in "$@"; do echo "$p"; tree_of $(pgrep -P "$p"); done; }
# CPU ticks of everything this script runs (instances, nginx, PostgreSQL and their children), not wrk
ours_ticks() { local p t=0 v; for p in $(tree_of "${WATCH[@]}"); do v=$(ticks_of "$p"); t=$((t + ${v:-0})); done; echo $t; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
pg_pid() { head -1 "$WORK/pg/data/postmaster.pid"; }

# Waits up to QUIET_WAIT s for everything that is not ours to use under 25 % of the machine over one second.
wait_quiet() {
  local b0 t0 b1 t1 c0 c1 i
  for ((i = 0; i < QUIET_WAIT; i++)); do
    read -r b0 t0 < <(machine_ticks); c0=$(ours_ticks); sleep 1; read -r b1 t1 < <(machine_ticks); c1=$(ours_ticks)
    ((((b1 - b0) - (c1 - c0)) * 4 < (t1 - t0))) && return 0
  done
}
# Waits until the watched processes have finished leftover work (under 10 % of a core over 0.5 s), at most 20 s.
settle() {
  local a b i
  for ((i = 0; i < 40; i++)); do
    a=$(ours_ticks); sleep 0.5; b=$(ours_ticks)
    (((b - a) * 100 < CLK_TCK * 5)) && return 0
  done
}
# "1 at nice 10": the bcrypt worker threads of a server (one per core it may run on)
bcrypt_threads() {
  local t
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == bcrypt-* ]] && awk '{print $19}' "$t/stat"
  done | sort -n | uniq -c | awk '{printf "%s%s at nice %s", (NR > 1 ? ", " : ""), $1, $2} END {if (NR == 0) printf "none found"}'
}

# ------------------------------------------------------------------------------------------- servers
# start_instance NAME PORT CPUS(- = unpinned) [NAME=value settings...]; sets SERVER_PID
start_instance() {
  local name=$1 port=$2 cpus=$3 pin=()
  shift 3
  [[ $cpus != - ]] && pin=(taskset -c "$cpus")
  mkdir -p "$WORK/data-$name"
  (cd "$WORK/app" && exec "${pin[@]}" env Storage__DataDirectory="$WORK/data-$name" Auth__BcryptWorkFactor="$WORK_FACTOR" \
      RateLimiting__Enabled=false ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production "$@" \
      dotnet SliceAuth.dll --urls "http://127.0.0.1:$port" >"$WORK/$name.log" 2>&1) &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_ready "$SERVER_PID" "http://127.0.0.1:$port" "$name"
}
postgres_env() { # database [more settings]
  local db=$1
  shift
  echo Storage__Provider=Postgres "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=sliceauth;Database=$db" \
    Storage__Postgres__MigrateOnStart=true "Auth__Pepper=$PEPPER" "$@"
}
wait_ready() { # pid, base url, log name: /health/ready 200 within 60 s
  local i
  for ((i = 0; i < 1200; i++)); do
    kill -0 "$1" 2>/dev/null || { tail -20 "$WORK/$3.log" >&2; broke "$3 exited during start-up"; return 1; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$2/health/ready") == 200 ]] && return 0
    sleep 0.05
  done
  tail -20 "$WORK/$3.log" >&2; broke "$3 was not ready within 60 s"; return 1
}
# Errors an instance logged (text format: "fail:" / "crit:"): a finding about the product, printed, not fatal.
log_errors() { grep -cE '^(fail|crit):' "$WORK/$1.log" 2>/dev/null || true; }

# nginx in the foreground with its own prefix: one listener per upstream. Unpinned (see README).
start_nginx() {
  local n=$WORK/nginx
  mkdir -p "$n/tmp"
  chmod 777 "$n/tmp"
  cat >"$n/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 1024; }
http {
  # which instance served each request (buffered: a few bytes a request); counted after 1b
  log_format up '\$server_port \$upstream_addr \$status';
  access_log $n/access.log up buffer=64k flush=1s;
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  upstream one { server 127.0.0.1:$PORT_A; keepalive 32; }
  upstream two { server 127.0.0.1:$PORT_A; server 127.0.0.1:$PORT_B; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_ONE;
    location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$host; }
  }
  server {
    listen 127.0.0.1:$NGINX_TWO;
    location / { proxy_pass http://two; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$host; }
  }
}
CONF
  "$NGINX" -p "$n" -e "$n/error.log" -c "$n/nginx.conf" >"$n/stdout.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$n/stdout.log" "$n/error.log" >&2 2>/dev/null; die "nginx exited at start"; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$NGINX_ONE/health/live") == 200 ]] && return 0
    sleep 0.1
  done
  die "nginx did not answer within 10 s"
}

cookie_from() { curl -s -o /dev/null -D - --max-time 30 "$@" | tr -d '\r' | sed -nE 's/^[Ss]et-[Cc]ookie: ([^;]+);.*/\1/p' | head -1; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@"; }

# ------------------------------------------------------------------------------------------ measuring
declare -A R=()
# measure KEY LABEL DURATION CONNECTIONS URL SCRIPT [wrk args...]: warm-up, settle, quiet, measured run.
# Fills R[KEY.rps p50 p99 non2xx errors busy other others requests]; for login.lua the rate is steady.lua's.
measure() {
  local key=$1 label=$2 duration=$3 conns=$4 url=$5 script=$6
  shift 6
  local out=$WORK/wrk-$key.txt m0 m1 o0 o1 skip=$((duration / 4 > 2 ? duration / 4 : 2))
  wrk -t2 -c"$conns" -d"${WARMUP}s" --timeout 10s -s "$LUA/$script" "$@" "$url" >/dev/null 2>&1
  settle
  wait_quiet
  m0=$(machine_ticks); o0=$(ours_ticks)
  # sh prints wrk's own CPU (its reaped child's ticks) so that other tenants' load can be told apart
  if ! BENCH_STEADY_SKIP=$skip timeout $((duration + 30)) sh -c 'wrk "$@" && echo "WRKCPU $(sed "s/^.*) //" /proc/$$/stat | awk "{print \$14 + \$15}")"' wrk \
      -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency -s "$LUA/$script" "$@" "$url" >"$out" 2>&1; then
    cat "$out" >&2; broke "wrk failed in $key"; return 1
  fi
  o1=$(ours_ticks); m1=$(machine_ticks)
  local line; line=$(grep '^RESULT ' "$out") || { cat "$out" >&2; broke "no result from wrk in $key"; return 1; }
  eval "$(sed 's/^RESULT //' <<<"$line" | tr ' ' '\n' | sed 's/^/local w_/')"
  R[$key.label]=$label
  R[$key.requests]=$w_requests
  R[$key.rps]=$(awk -v n="$w_requests" -v d="$w_duration_us" 'BEGIN {printf "%.1f", n / (d / 1e6)}')
  R[$key.p50]=$(awk -v u="$w_p50_us" 'BEGIN {printf "%.2f", u / 1000}')
  R[$key.p99]=$(awk -v u="$w_p99_us" 'BEGIN {printf "%.2f", u / 1000}')
  R[$key.non2xx]=$w_non2xx
  R[$key.errors]=$((w_socket_errors + w_timeouts))
  local wrk_cpu; wrk_cpu=$(sed -n 's/^WRKCPU //p' "$out")
  # the share of the machine used by neither our processes nor wrk: other tenants' load
  R[$key.others]=$(awk -v m0="$m0" -v m1="$m1" -v s=$((o1 - o0)) -v w="${wrk_cpu:-0}" 'BEGIN {
    split(m0, a, " "); split(m1, b, " "); t = b[2] - a[2]; o = (b[1] - a[1]) - s - w
    printf "%.0f", ((t > 0 && o > 0) ? 100 * o / t : 0)}')
  if [[ $script == login.lua ]]; then
    local steady outcomes
    steady=$(sed -nE 's/^STEADY rate=([0-9.]+) seconds=([0-9]+).*/\1 \2/p' "$out" | awk '$1 > 0 && $2 >= 3 {print $1}')
    outcomes=$(grep '^OUTCOMES ' "$out")
    R[$key.busy]=$(sed -nE 's/.*busy503=([0-9]+).*/\1/p' <<<"$outcomes")
    R[$key.other]=$(sed -nE 's/.*other_non2xx=([0-9]+).*/\1/p' <<<"$outcomes")
    R[$key.rps]=${steady:-0}
    [[ -n $steady ]] || broke "$key: no successful login in a steady second"
    ((${R[$key.other]:-0} > 0)) && broke "$key: ${R[$key.other]} responses were neither 2xx nor 503"
  else
    ((w_non2xx > 0)) && broke "$key: $w_non2xx responses were not 2xx"
    ((w_requests == 0)) && broke "$key: no request completed"
  fi
  ((R[$key.errors] > 0)) && broke "$key: ${R[$key.errors]} socket errors or timeouts"
  printf '%-62s %9s req/s  p50 %8s ms  p99 %8s ms  non-2xx %5s  errors %3s  others %3s%%\n' \
    "$key $label" "${R[$key.rps]}" "${R[$key.p50]}" "${R[$key.p99]}" "$w_non2xx" "${R[$key.errors]}" "${R[$key.others]}"
  [[ $script == login.lua ]] && echo "    $key: ${R[$key.busy]:-0} answered 503 (bcrypt threads busy), ${R[$key.other]:-0} other non-2xx"
  settle
  return 0
}

# summarize KEY: the rounds KEY.r1..rN of a case become KEY: median req/s (and that round's latencies), every
# round's req/s, summed non-2xx/503/errors, the highest "others" (the busiest the machine was).
summarize() {
  local key=$1 r med
  med=$(for ((r = 1; r <= ROUNDS; r++)); do echo "$r ${R[$key.r$r.rps]:-0}"; done | sort -k2 -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  R[$key.label]=${R[$key.r1.label]:-}
  R[$key.rps]=${R[$key.r$med.rps]:-0}; R[$key.p50]=${R[$key.r$med.p50]:-0}; R[$key.p99]=${R[$key.r$med.p99]:-0}
  R[$key.all]=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${R[$key.r$r.rps]:-0}"; done | paste -sd/ | sed 's|/| / |g')
  local f
  for f in non2xx busy errors; do
    R[$key.$f]=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${R[$key.r$r.$f]:-0}"; done | awk '{s += $1} END {print s + 0}')
  done
  R[$key.others]=$(for ((r = 1; r <= ROUNDS; r++)); do echo "${R[$key.r$r.others]:-0}"; done | sort -n | tail -1)
  printf '%-62s %9s req/s median of %s (%s), others up to %s%%\n' "$key ${R[$key.label]}" "${R[$key.rps]}" "$ROUNDS" "${R[$key.all]}" "${R[$key.others]}"
}

echo "SliceAuth scale-out bench ($MODE) at $COMMIT: $ROUNDS round(s), login ${LOGIN_DURATION}s x wrk -t2 -c$LOGIN_CONNECTIONS over $ACCOUNTS accounts," \
  "GET ${DURATION}s x wrk -t2 -c32, work factor $WORK_FACTOR, PostgreSQL $PG_VERSION, $(nproc) cores, cgroup cpu.max $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo unknown), load $(cut -d' ' -f1-3 /proc/loadavg)"

# ----------------------------------------------------------------------------- 1. login, 1 vs 2 instances
log "1. login throughput behind nginx: instance A on core 0"
start_instance a "$PORT_A" 0 $(postgres_env logins) || die "instance A did not start"
A_PID=$SERVER_PID
start_nginx
WATCH=("$A_PID" "$NGINX_PID" "$(pg_pid)")
ONE=http://127.0.0.1:$NGINX_ONE
TWO=http://127.0.0.1:$NGINX_TWO
# The flood spreads over many accounts: on one account the per-account throttle lets at most
# Auth:LoginThrottle:MaxFailures (10) checks run at once and answers the rest 429 (see run.sh, scenario e).
register_retry() { # base url, username: 503 (bcrypt threads busy) is the product's overload answer: wait, retry
  local i s
  for ((i = 0; i < 20; i++)); do
    s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST "$1/register" -H 'Content-Type: application/json' \
      -d "{\"username\":\"$2\",\"email\":\"$2@scale.example\",\"password\":\"$PASSWORD\"}")
    [[ $s == 503 ]] || break
    sleep 1
  done
  echo "$s"
}
export -f register_retry
export PASSWORD
seq 0 $((ACCOUNTS - 1)) | xargs -P4 -I{} bash -c 'register_retry "$1" "seed$2"' bash "$ONE" {} >"$WORK/accounts.txt"
[[ $(grep -c '^201$' "$WORK/accounts.txt") == "$ACCOUNTS" ]] || die "could not register the $ACCOUNTS accounts ($(sort "$WORK/accounts.txt" | uniq -c | tr '\n' ' '))"
COOKIE=$(cookie_from -X POST "$ONE/login" -H 'Content-Type: application/json' -d "{\"username\":\"seed0\",\"password\":\"$PASSWORD\"}")
[[ -n $COOKIE && $(status_of -H "Cookie: $COOKIE" "$ONE/protected") == 200 ]] || die "login through nginx did not give a working session"
echo "1  instance A: bcrypt threads $(bcrypt_threads "$A_PID"), affinity $(taskset -pc "$A_PID" | sed 's/.*: //')"

log "1. instance B on core 1 (idle while 1a runs: nginx's port $NGINX_ONE sends only to A)"
start_instance b "$PORT_B" 1 $(postgres_env logins) || die "instance B did not start"
B_PID=$SERVER_PID
WATCH+=("$B_PID")
echo "1  instance B: bcrypt threads $(bcrypt_threads "$B_PID"), affinity $(taskset -pc "$B_PID" | sed 's/.*: //')"
[[ $(status_of -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT_B/protected") == 200 ]] || broke "a session made on A is not valid on B"

export BENCH_SEED_USERS=$ACCOUNTS BENCH_PASSWORD="$PASSWORD"
# both instances' bcrypt code past tier 0 before the first round
wrk -t2 -c"$LOGIN_CONNECTIONS" -d"$((2 * WARMUP))s" --timeout 10s -s "$LUA/login.lua" "$TWO/login" >/dev/null 2>&1
for ((r = 1; r <= ROUNDS; r++)); do
  log "1. round $r of $ROUNDS"
  measure 1a.r$r "POST /login, 1 instance (core 0) behind nginx" "$LOGIN_DURATION" "$LOGIN_CONNECTIONS" "$ONE/login" login.lua
  measure 1b.r$r "POST /login, 2 instances (cores 0, 1) behind nginx" "$LOGIN_DURATION" "$LOGIN_CONNECTIONS" "$TWO/login" login.lua
done
summarize 1a
summarize 1b
ERRORS_LOGIN="A $(log_errors a), B $(log_errors b)"
stop_pid "$NGINX_PID"; stop_pid "$B_PID"; stop_pid "$A_PID"
# round-robin at work: requests through port NGINX_TWO (1b's warm-ups and runs) by the instance that served them
SPLIT=$(awk -v p="$NGINX_TWO" -v a="127.0.0.1:$PORT_A" -v b="127.0.0.1:$PORT_B" '$1 == p {t++; n[$2]++}
  END {printf "A served %d requests, B %d, neither %d", n[a], n[b], t - n[a] - n[b]}' "$WORK/nginx/access.log")
echo "1  during 1b (warm-ups included): $SPLIT"
unset BENCH_SEED_USERS

# ----------------------------------------------------------------------------- 2. GET /protected
log "2. GET /protected: LiteDB vs PostgreSQL (unpinned, direct, as run.sh's scenario a)"
start_instance lite "$PORT_A" - || die "the LiteDB instance did not start"
LITE_PID=$SERVER_PID
start_instance pg "$PORT_B" - $(postgres_env reads) || die "the PostgreSQL instance did not start"
PGI_PID=$SERVER_PID
LITE=http://127.0.0.1:$PORT_A
PGI=http://127.0.0.1:$PORT_B
for u in "$LITE" "$PGI"; do [[ $(register_retry "$u" benchuser) == 201 ]] || die "could not register the bench user at $u"; done
LITE_COOKIE=$(cookie_from -X POST "$LITE/login" -H 'Content-Type: application/json' -d "{\"username\":\"benchuser\",\"password\":\"$PASSWORD\"}")
PG_COOKIE=$(cookie_from -X POST "$PGI/login" -H 'Content-Type: application/json' -d "{\"username\":\"benchuser\",\"password\":\"$PASSWORD\"}")
[[ -n $LITE_COOKIE && -n $PG_COOKIE ]] || die "could not log in"
[[ $(status_of -H "Cookie: $LITE_COOKIE" "$LITE/protected") == 200 && $(status_of -H "Cookie: $PG_COOKIE" "$PGI/protected") == 200 ]] ||
  die "GET /protected with the session is not 200"
WATCH=("$LITE_PID" "$PGI_PID" "$(pg_pid)")
for ((r = 1; r <= ROUNDS; r++)); do
  log "2. round $r of $ROUNDS"
  measure 2a.r$r "GET /protected, LiteDB" "$DURATION" 32 "$LITE/protected" get.lua -H "Cookie: $LITE_COOKIE"
  measure 2b.r$r "GET /protected, PostgreSQL, Sessions:Cache=On (default)" "$DURATION" 32 "$PGI/protected" get.lua -H "Cookie: $PG_COOKIE"
done
summarize 2a
summarize 2b
ERRORS_READS="LiteDB $(log_errors lite), PostgreSQL $(log_errors pg)"
stop_pid "$PGI_PID"
start_instance pgoff "$PORT_B" - $(postgres_env reads Sessions__Cache=Off) || die "the PostgreSQL instance (cache off) did not start"
PGOFF_PID=$SERVER_PID
WATCH=("$LITE_PID" "$PGOFF_PID" "$(pg_pid)")
[[ $(status_of -H "Cookie: $PG_COOKIE" "$PGI/protected") == 200 ]] || die "the session is not valid after the restart with Sessions:Cache=Off"
measure 2c.r1 "GET /protected, PostgreSQL, Sessions:Cache=Off" "$DURATION" 32 "$PGI/protected" get.lua -H "Cookie: $PG_COOKIE"
ROUNDS=1 summarize 2c # one round: reported, no target
ERRORS_READS+=", PostgreSQL cache off $(log_errors pgoff)"
stop_pid "$PGOFF_PID"; stop_pid "$LITE_PID"

# -------------------------------------------------------------------------------------------- targets
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b}'; }
met() { awk "BEGIN {exit !($1)}" 2>/dev/null && echo MET || echo "NOT MET"; }
v() { echo "${R[$1]:-0}"; }
R1=$(ratio "$(v 1b.rps)" "$(v 1a.rps)")
R2=$(ratio "$(v 2b.rps)" "$(v 2a.rps)")
R3=$(ratio "$(v 2c.rps)" "$(v 2a.rps)")
T1="$(met "$R1 >= 1.8")"
T2="$(met "$R2 >= 0.9")"
echo
echo "Targets (issue 11):"
printf '%-8s %-62s %s\n' "$T1" "1  login, 2 instances vs 1 (>= 1.8x)" "${R1}x ($(v 1b.rps) vs $(v 1a.rps) logins/s)"
printf '%-8s %-62s %s\n' "$T2" "2  GET /protected, PostgreSQL (cache on) vs LiteDB (>= 0.9x)" "${R2}x ($(v 2b.rps) vs $(v 2a.rps) req/s)"
printf '%-8s %-62s %s\n' "info" "2c GET /protected, PostgreSQL (cache off) vs LiteDB" "${R3}x ($(v 2c.rps) vs $(v 2a.rps) req/s)"
echo "Errors logged (fail/crit lines): logins $ERRORS_LOGIN; reads $ERRORS_READS"

# -------------------------------------------------------------------------------------- tools/bench/README.md
if ((WRITE_README)); then
  table=$WORK/table.md
  {
    echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)); \`$COMMAND\`;"
    echo "SliceAuth at $COMMIT, PostgreSQL $PG_VERSION, nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), work factor $WORK_FACTOR; login ${LOGIN_DURATION} s per case,"
    echo "wrk -t2 -c$LOGIN_CONNECTIONS over $ACCOUNTS accounts; GET ${DURATION} s per case, wrk -t2 -c32; $ROUNDS rounds of 1a/1b and of 2a/2b, alternated"
    echo "(req/s is the median round, p50/p99 that round's; 2c one round; non-2xx and errors summed; others % the highest of the rounds)."
    echo
    echo "| case | req/s | rounds | p50 ms | p99 ms | non-2xx | errors | others % |"
    echo "|---|---:|---|---:|---:|---:|---:|---:|"
    for k in 1a 1b 2a 2b 2c; do
      n=$(v $k.non2xx); [[ $k == 1? ]] && n="$n (503: $(v $k.busy))"
      echo "| $k ${R[$k.label]:-} | $(v $k.rps) | $(v $k.all) | $(v $k.p50) | $(v $k.p99) | $n | $(v $k.errors) | $(v $k.others) |"
    done
    echo
    echo "| target | figure | |"
    echo "|---|---|---|"
    echo "| 1 login, 2 instances vs 1 (>= 1.8x) | ${R1}x ($(v 1b.rps) vs $(v 1a.rps) logins/s) | $T1 |"
    echo "| 2 GET /protected, PostgreSQL (cache on) vs LiteDB (>= 0.9x) | ${R2}x ($(v 2b.rps) vs $(v 2a.rps) req/s) | $T2 |"
    echo "| 2c GET /protected, PostgreSQL (cache off) vs LiteDB | ${R3}x ($(v 2c.rps) vs $(v 2a.rps) req/s) | info |"
    echo
    echo "During 1b: $SPLIT. Errors logged (fail/crit): logins $ERRORS_LOGIN; reads $ERRORS_READS."
    if ((${#BROKEN[@]})); then echo; echo "Broken: ${BROKEN[*]}"; fi
  } >"$table"
  readme=$BENCH_DIR/README.md
  start="<!-- results:scale:start -->"
  end="<!-- results:scale:end -->"
  if grep -qF "$start" "$readme" && grep -qF "$end" "$readme"; then
    awk -v s="$start" -v e="$end" -v f="$table" '
      $0 == s {print; while ((getline l < f) > 0) print l; skip = 1; next}
      $0 == e {skip = 0}
      !skip {print}' "$readme" >"$WORK/readme.new" && cat "$WORK/readme.new" >"$readme"
    echo; echo "results written to tools/bench/README.md (scale section)"
  else
    echo "tools/bench/README.md has no $start / $end markers; table not written" >&2
  fi
fi

if ((${#BROKEN[@]})); then
  echo; echo "something broke: ${BROKEN[*]}" >&2
  exit 1
fi
exit 0

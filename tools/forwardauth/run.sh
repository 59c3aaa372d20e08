#!/usr/bin/env bash
# Forward authentication behind a real nginx (Debian's package) on loopback: SliceAuth, a small upstream that echoes
# the request headers it received (echo_upstream.py), and nginx running the shipped tools/forwardauth/nginx.conf.
# Checks with curl that without a session the upstream is never reached (a redirect to the login page instead),
# that after register and login through nginx the upstream sees the user, that a user header the client sends
# never reaches the upstream, and that after a logout or a revocation from another session the upstream is no
# longer reached. Stops everything it started, whatever happens.
#
#   bash tools/forwardauth/run.sh
#
# Environment:
#   SLICEAUTH_STORAGE=Postgres  run SliceAuth on a throwaway PostgreSQL cluster (default LiteDB)
#   FORWARDAUTH_NO_LOGIN_URL=1  run without ForwardAuth:LoginUrl: a request without a session then gets nginx's 401
#   FORWARDAUTH_PORT            first of the loopback ports used (default 5480: SliceAuth, +1 upstream, +2 nginx,
#                               +3 PostgreSQL unless SLICEAUTH_PG_PORT says otherwise)
#
# The last line is "forwardauth: N passed, M failed"; the exit code is non-zero when a check failed or a part did
# not start.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/tools/lib/sliceauth-server.sh"

base_port="${FORWARDAUTH_PORT:-5480}"
auth_port=$base_port
app_port=$((base_port + 1))
nginx_port=$((base_port + 2))
export SLICEAUTH_PG_PORT="${SLICEAUTH_PG_PORT:-$((base_port + 3))}" # its own: other tools' runs may hold the default
auth_url="http://127.0.0.1:$auth_port"
url="http://127.0.0.1:$nginx_port"
login_url="$url/signin" # ForwardAuth:LoginUrl: only its Location is checked, nothing serves it
[[ -n "${FORWARDAUTH_NO_LOGIN_URL:-}" ]] && login_url=""

work="$(mktemp -d "${TMPDIR:-/tmp}/sliceauth-forwardauth.XXXXXX")"
chmod 755 "$work" # PostgreSQL's user and nginx's workers (nobody, when started by root) go through it
passed=0
failed=0
server_pid=""
app_pid=""
nginx_pid=""

stop_pid() { # pid: TERM, up to 5 s, then KILL
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$1" 2>/dev/null && kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null || true
}

cleanup() {
  stop_pid "$nginx_pid"
  stop_pid "$app_pid"
  sliceauth_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

result() { echo "forwardauth: $passed passed, $failed failed"; }
die() {
  echo "run.sh: $*" >&2
  failed=$((failed + 1))
  result
  exit 1
}

check() { # name, then a command that succeeds when the check passes
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}

apt_install() { # package: Debian's, with apt-get (nginx's own service is not used: it runs below in the foreground)
  echo "== installing $1 (Debian package)"
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; }; } >"$work/apt-$1.log" 2>&1 ||
    { cat "$work/apt-$1.log" >&2; die "could not install $1"; }
}
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || apt_install nginx
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
command -v python3 >/dev/null || apt_install python3
command -v curl >/dev/null || apt_install curl

for port in $auth_port $app_port $nginx_port; do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && die "port $port is already in use; set FORWARDAUTH_PORT"
done

# ----------------------------------------------------------------------------------------------- start
echo "== dotnet build -c Release"
sliceauth_build "$root" "$work/app" "$work/build.log" || die "the build failed"

echo "== SliceAuth on $auth_url (${SLICEAUTH_STORAGE:-LiteDb}), ForwardAuth:LoginUrl=$login_url"
mkdir -p "$work/data"
export ForwardAuth__LoginUrl="$login_url"
export Metrics__Enabled=true # on, to show the proxy keeps /metrics to SliceAuth's own address
sliceauth_start "$work/app" "$work/data" "$auth_url" "$work/sliceauth.log" || die "SliceAuth's storage did not start"
sliceauth_up() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$auth_url/health/live") == 200 ]]; }
sliceauth_await sliceauth_up "$work/sliceauth.log" || die "SliceAuth did not start"

echo "== echo upstream on 127.0.0.1:$app_port"
python3 "$here/echo_upstream.py" "$app_port" >"$work/upstream.log" 2>&1 &
app_pid=$!

echo "== nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///') on $url with tools/forwardauth/nginx.conf"
n="$work/nginx"
mkdir -p "$n/tmp"
chmod 777 "$n/tmp" # nginx's workers write their temp files as nobody when started by root
sed -e "s/__LISTEN__/127.0.0.1:$nginx_port/" -e "s/__SERVER_NAME__/127.0.0.1/" \
  -e "s/__SLICEAUTH__/127.0.0.1:$auth_port/" -e "s/__APP__/127.0.0.1:$app_port/" "$here/nginx.conf" >"$n/forwardauth.conf"
grep -q '__[A-Z_]*__' "$n/forwardauth.conf" && die "a placeholder of nginx.conf was left unreplaced"
cat >"$n/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 256; }
http {
  access_log $n/access.log;
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  include $n/forwardauth.conf;
}
CONF
"$nginx_bin" -p "$n" -e "$n/error.log" -c "$n/nginx.conf" >"$n/stdout.log" 2>&1 &
nginx_pid=$!
for i in $(seq 100); do
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$n/stdout.log" "$n/error.log" >&2 2>/dev/null; die "nginx exited at start"; }
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/upstream.log" >&2; die "the echo upstream exited at start"; }
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/auth/health/live") == 200 ]] &&
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$app_port/" && break
  ((i == 100)) && die "nginx or the upstream did not answer within 10 s"
  sleep 0.1
done

# ----------------------------------------------------------------------------------------------- helpers
# req ARGS...: one request with curl; the status is printed, headers and body kept for the checks below.
req() { curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' --max-time 30 "$@"; }
# header NAME: the last response's header value (case-insensitive name).
header() { tr -d '\r' <"$work/headers" | awk -v name="$(tr 'A-Z' 'a-z' <<<"$1")" -F': ' 'tolower($1) == name { sub(/^[^:]*: /, ""); print; exit }'; }
cookie() { tr -d '\r' <"$work/headers" | sed -nE 's/^[Ss]et-[Cc]ookie: ([^;]+);.*/\1/p' | head -1; }
# seen NAME: every value of the request header NAME the upstream received in the last response, one a line.
seen() { python3 -c 'import json, sys
for k, v in json.load(open(sys.argv[1]))["headers"]:
    if k.lower() == sys.argv[2].lower(): print(v)' "$work/body" "$1"; }
json() { python3 -c 'import json, sys; print(eval("d" + sys.argv[2], {"d": json.load(open(sys.argv[1]))}))' "$work/body" "$1"; }
current_session() { python3 -c 'import json, sys; print(next(s["id"] for s in json.load(open(sys.argv[1])) if s["current"]))' "$work/body"; }
hits() { grep -c '^HIT' "$work/upstream.log" || true; }
is() { [[ "$1" == "$2" ]] || { echo "     expected '$2', got '$1'" >&2; return 1; }; }

# Not reached: the status is the one expected and the upstream counted no request meanwhile.
not_reached() { # expected-status, curl args...
  local expected=$1 before status
  shift
  before=$(hits)
  status=$(req "$@")
  is "$status" "$expected" && is "$(hits)" "$before"
}
login_redirect() { # curl args...: 302 to the login page (401 without a LoginUrl), the upstream not reached
  [[ -z "$login_url" ]] && { not_reached 401 "$@" && is "$(header Location)" ""; return; }
  not_reached 302 "$@" && is "$(header Location)" "$login_url?rd=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$url/private?x=1")"
}
reaches_as() { # cookie user-id username [extra curl args...]: 200 from the upstream, which saw exactly this user
  local c=$1 id=$2 name=$3
  shift 3
  is "$(req -H "Cookie: $c" "$@" "$url/private?x=1")" 200 && is "$(seen X-Auth-User-Id)" "$id" && is "$(seen X-Auth-Username)" "$name"
}

# ----------------------------------------------------------------------------------------------- checks
echo "== checks"
check "no cookie: refused (302 to the login page with the original URL, 401 without one), the upstream not reached" login_redirect "$url/private?x=1"
[[ -n "$login_url" ]] && check "a foreign Host is never the return address: the plain login page" \
  eval 'not_reached 302 -H "Host: evil.example" "$url/private?x=1" && is "$(header Location)" "$login_url"'
check "no cookie, forged user headers: the upstream not reached" \
  login_redirect -H "X-Auth-User-Id: 00000000-0000-0000-0000-000000000001" -H "X-Auth-Username: admin" "$url/private?x=1"
check "the auth subrequest's location is not reachable from outside" not_reached 404 "$url/_sliceauth_verify"
check "SliceAuth answers /metrics on its own loopback address" is "$(req "$auth_url/metrics")" 200
check "but not through the proxy (/auth/metrics is 404): every client would look like loopback to it" is "$(req "$url/auth/metrics")" 404

password="correct horse battery staple"
check "register through nginx (/auth/register)" is "$(req -H 'Content-Type: application/json' \
  --data-binary "{\"username\":\"zoë\",\"email\":\"zoe@example.com\",\"password\":\"$password\"}" "$url/auth/register")" 201
login() { req -H 'Content-Type: application/json' --data-binary "{\"username\":\"zoë\",\"password\":\"$password\"}" "$url/auth/login" >/dev/null && cookie; }
cookie_a=$(login)
check "log in through nginx (/auth/login): a session cookie" test -n "$cookie_a"
req -H "Cookie: $cookie_a" "$url/auth/me" >/dev/null
user_id=$(json "['id']" 2>/dev/null || true)
check "the session works through nginx (/auth/me)" test -n "$user_id"
# zoë: Kestrel sends header values in ASCII, SliceAuth percent-encodes the UTF-8.
check "with the cookie the upstream is reached and sees the user id and the username (zo%C3%AB)" reaches_as "$cookie_a" "$user_id" "zo%C3%AB"
check "a forged X-Auth-Username/X-Auth-User-Id with a valid cookie: the upstream sees only SliceAuth's values" \
  reaches_as "$cookie_a" "$user_id" "zo%C3%AB" -H "X-Auth-Username: admin" -H "X-Auth-User-Id: 00000000-0000-0000-0000-000000000001"
check "forged headers in another case and twice: still only SliceAuth's values" \
  reaches_as "$cookie_a" "$user_id" "zo%C3%AB" -H "x-auth-username: admin" -H "X-AUTH-USERNAME: root" -H "x-auth-user-id: 1"
check "a POST with a body and the cookie reaches the upstream as the user (the auth subrequest is a bodiless GET)" \
  reaches_as "$cookie_a" "$user_id" "zo%C3%AB" -X POST -H 'Content-Type: application/json' --data-binary '{"a":1}'
check "a POST without a cookie: refused, the upstream not reached" login_redirect -X POST --data-binary '{"a":1}' "$url/private?x=1"

# Revocation from another session: device B ends device A's session by its id.
cookie_b=$(login)
req -H "Cookie: $cookie_a" "$url/auth/me/sessions" >/dev/null
session_a=$(current_session 2>/dev/null || true)
check "DELETE /auth/me/sessions/{id} of A from B: 204" is "$(req -X DELETE -H "Cookie: $cookie_b" "$url/auth/me/sessions/$session_a")" 204
check "after the revocation A is refused (302 to the login page, 401 without one), the upstream not reached" login_redirect -H "Cookie: $cookie_a" "$url/private?x=1"
check "B still reaches the upstream as the user" reaches_as "$cookie_b" "$user_id" "zo%C3%AB"

# "Log out everywhere else" from C ends B.
cookie_c=$(login)
check "DELETE /auth/me/sessions from C: 204" is "$(req -X DELETE -H "Cookie: $cookie_c" "$url/auth/me/sessions")" 204
check "after it B is refused (302 to the login page, 401 without one), the upstream not reached" login_redirect -H "Cookie: $cookie_b" "$url/private?x=1"
check "C still reaches the upstream as the user" reaches_as "$cookie_c" "$user_id" "zo%C3%AB"

check "logout through nginx (/auth/logout): 204" is "$(req -X POST -H "Cookie: $cookie_c" "$url/auth/logout")" 204
check "after the logout C is refused (302 to the login page, 401 without one), the upstream not reached" login_redirect -H "Cookie: $cookie_c" "$url/private?x=1"
check "after the logout, forged user headers with the dead cookie: the upstream not reached" \
  login_redirect -H "Cookie: $cookie_c" -H "X-Auth-Username: zo%C3%AB" -H "X-Auth-User-Id: $user_id" "$url/private?x=1"

if ((failed > 0)); then
  echo "--- nginx error log:" >&2; tail -n 20 "$n/error.log" >&2
  echo "--- SliceAuth log:" >&2; tail -n 20 "$work/sliceauth.log" >&2
fi
result
((failed == 0 && passed > 0))

#!/usr/bin/env bash
# Checks that SliceAuth's OpenAPI document is valid and usable by real tooling: builds the app (Release), starts it on
# loopback with a throwaway data directory, fetches /openapi/v1.json, lints it with Spectral (spectral:oas, pinned by
# package-lock.json), generates a C# client with Kiota (pinned by dotnet-tools.json) and runs the seed scenario
# through that client (KiotaSeed/: register, login, protected, logout, protected refused). Always stops the server.
#
#   bash tools/openapi/run.sh
#
# Environment:
#   SLICEAUTH_OPENAPI_PORT  port to serve on (default 5290)
#
# The last line is "openapi: N passed, M failed" (checks: Spectral, Kiota generation, client build, each seed step).
# The exit code is non-zero when any check failed or none ran.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/tools/lib/sliceauth-server.sh"
port="${SLICEAUTH_OPENAPI_PORT:-5290}"
base_url="http://127.0.0.1:$port"
reports="$here/reports" # git-ignored
document="$reports/v1.json"
server_log="$reports/server.log"
client_dir="$here/KiotaSeed/Client" # git-ignored, generated on every run

passed=0
failed=0
server_pid=""
app_dir=""
data_dir=""
summary_printed=""

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

summary() {
  [[ -n "$summary_printed" ]] && return
  summary_printed=1
  echo "openapi: $passed passed, $failed failed"
}

cleanup() {
  local rc=$?
  sliceauth_stop
  [[ -n "$app_dir" ]] && rm -rf "$app_dir"
  [[ -n "$data_dir" ]] && rm -rf "$data_dir"
  summary
  if (( rc == 0 && (failed > 0 || passed == 0) )); then rc=1; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "tools/openapi/run.sh: $*" >&2; failed=$((failed + 1)); exit 1; }

mkdir -p "$reports"
rm -f "$document"

# --- node and npm from Debian when missing, then Spectral exactly as locked ---
if ! command -v npm >/dev/null 2>&1; then
  echo "== installing Debian's nodejs and npm"
  if [[ "$(id -u)" -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
echo "== npm ci (Spectral, pinned by package-lock.json)"
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null

echo "== dotnet tool restore (Kiota, pinned by dotnet-tools.json)"
(cd "$here" && dotnet tool restore >/dev/null)

# Answers 0 once something serves HTTP on the port (any status), 1 otherwise.
http_up() { curl -s -o /dev/null --max-time 2 "$base_url/openapi/v1.json"; }
if http_up; then die "something already answers on $base_url; set SLICEAUTH_OPENAPI_PORT to a free port"; fi

echo "== dotnet build -c Release"
app_dir="$(mktemp -d "${TMPDIR:-/tmp}/sliceauth-openapi-app.XXXXXX")"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/sliceauth-openapi-data.XXXXXX")"
sliceauth_build "$root" "$app_dir" "$reports/build.log" || die "the app did not build"

echo "== starting SliceAuth on $base_url (data in $data_dir)"
sliceauth_start "$app_dir" "$data_dir" "$base_url" "$server_log"
sliceauth_await http_up "$server_log" || die "SliceAuth did not start"
curl -sf --max-time 10 -o "$document" "$base_url/openapi/v1.json" || { tail -n 40 "$server_log" >&2; die "no document at $base_url/openapi/v1.json"; }
echo "document: $document"

echo "== spectral lint (spectral:oas)"
if "$here/node_modules/.bin/spectral" lint "$document" --ruleset "$here/.spectral.yaml" --fail-severity error; then
  pass "spectral: no error"
else
  fail "spectral reported errors"
fi

echo "== kiota generate (C#)"
rm -rf "$client_dir" # a client left from an earlier run must not stand in for this document's
if (cd "$here" && dotnet kiota generate -l CSharp -d "$document" -o "$client_dir" -c SliceAuthClient \
      -n SliceAuth.KiotaSeed.Client --exclude-backward-compatible --clean-output --log-level Warning) >"$reports/kiota.log" 2>&1; then
  pass "kiota generated a client"
else
  cat "$reports/kiota.log" >&2
  fail "kiota could not generate a client"
fi

echo "== the seed scenario through the generated client"
if dotnet build "$here/KiotaSeed/KiotaSeed.csproj" -c Release -nologo -v quiet >"$reports/client-build.log" 2>&1; then
  pass "the generated client builds"
  set +e
  dotnet "$here/KiotaSeed/bin/Release/net10.0/KiotaSeed.dll" "$base_url" | tee "$reports/seed.log"
  set -e
  steps_passed="$(grep -c '^PASS: ' "$reports/seed.log" || true)"
  steps_failed="$(grep -c '^FAIL: ' "$reports/seed.log" || true)"
  passed=$((passed + steps_passed))
  failed=$((failed + steps_failed))
  (( steps_passed + steps_failed == 5 )) || fail "the seed scenario ran $((steps_passed + steps_failed)) of 5 steps"
else
  cat "$reports/client-build.log" >&2
  fail "the generated client does not build"
fi

if (( failed > 0 )); then
  echo "--- last lines of the server log ($server_log):" >&2
  tail -n 20 "$server_log" >&2
fi

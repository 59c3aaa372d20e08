#!/usr/bin/env bash
# Browser test: builds SliceAuth (Release), starts it on loopback with a throwaway data
# directory, and drives its real Swagger UI (tools/browser/swagger.test.mjs), its account
# pages for mailed links (tools/browser/account-pages.test.mjs, which reads the mails from the
# data directory's pickup folder) and its account page with a virtual passkey authenticator
# (tools/browser/account.test.mjs) in Debian's headless Chromium. Always stops the server. Last line:
#   browser: N passed, M failed
# Exits non-zero if any check failed or none ran.
#
# Env: BROWSER_PORT (default 5190), CHROMIUM_PATH (default /usr/bin/chromium).
set -euo pipefail

BROWSER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BROWSER_DIR/../.." && pwd)"
source "$ROOT/tools/lib/sliceauth-server.sh" # sliceauth_storage: LiteDB or a throwaway PostgreSQL (SLICEAUTH_STORAGE)
PORT="${BROWSER_PORT:-5190}"
BASE_URL="http://127.0.0.1:$PORT"
# WebAuthn wants a host name, not an IP address, as the relying party: the account page's test uses this origin, and
# the server's Passkeys settings name it.
ACCOUNT_URL="http://localhost:$PORT"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
# One folder per storage provider: CI runs this script once for each, and both runs' screenshots and logs stay.
ARTIFACTS="$BROWSER_DIR/artifacts/$(tr '[:upper:]' '[:lower:]' <<<"${SLICEAUTH_STORAGE:-LiteDb}")"

passed=0
failed=0
server_pid=""
data_dir=""
summary_printed=""

summary() {
  [ -n "$summary_printed" ] && return
  summary_printed=1
  echo "browser: $passed passed, $failed failed"
}

cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    # Give Kestrel a moment to shut down cleanly, then insist.
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  sliceauth_storage_stop
  [ -n "$data_dir" ] && rm -rf "$data_dir"
  summary
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "tools/browser/run.sh: $*" >&2; exit 1; }

# --- Chromium from Debian (a fresh machine has none; no browser download is possible) ---
if [ ! -x "$CHROMIUM_PATH" ]; then
  [ "$CHROMIUM_PATH" = /usr/bin/chromium ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not executable"
  echo "tools/browser/run.sh: installing Debian's chromium"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM_PATH" ] || die "chromium did not install to $CHROMIUM_PATH"
fi
"$CHROMIUM_PATH" --version 2>/dev/null || true

# --- playwright-core, exactly as locked ---
(cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error)

# --- the app, Release ---
dotnet build "$ROOT/SliceAuth.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly
APP_DLL="$ROOT/bin/Release/net10.0/SliceAuth.dll"
[ -f "$APP_DLL" ] || die "build produced no $APP_DLL"

# Refuse to test whatever else may already be listening on the port.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "something already listens on 127.0.0.1:$PORT; set BROWSER_PORT to a free port (5190-5199)"
fi

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
data_dir="$(mktemp -d)"
server_log="$ARTIFACTS/server.log"
sliceauth_storage "$data_dir" || die "the storage (SLICEAUTH_STORAGE=${SLICEAUTH_STORAGE:-LiteDb}) did not start"

# Content root is the repo root, so appsettings.json there is the one read.
(
  cd "$ROOT"
  exec env Storage__DataDirectory="$data_dir" Auth__BcryptWorkFactor=4 "${storage_env[@]}" \
    Passkeys__RelyingPartyId=localhost Passkeys__Origins__0="$ACCOUNT_URL" \
    dotnet "$APP_DLL" --urls "$BASE_URL"
) >"$server_log" 2>&1 &
server_pid=$!

echo "tools/browser/run.sh: waiting for SliceAuth on $BASE_URL (pid $server_pid)"
ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$server_log" >&2
    die "the server exited before it was ready"
  fi
  if node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "$BASE_URL/openapi/v1.json" 2>/dev/null; then ready=1; break; fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  tail -n 50 "$server_log" >&2
  die "the server did not answer within 60 s"
fi

# --- the tests, one file after the other (one browser at a time on a small machine): spec output to
# the console, TAP to a file to count the real results ---
tap="$ARTIFACTS/results.tap"
set +e
(
  cd "$BROWSER_DIR"
  # Without SMTP settings the server writes each mail as an .eml file under {data dir}/mail/.
  BASE_URL="$BASE_URL" ACCOUNT_URL="$ACCOUNT_URL" ARTIFACTS_DIR="$ARTIFACTS" CHROMIUM_PATH="$CHROMIUM_PATH" MAIL_DIR="$data_dir/mail" node --test \
    --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    swagger.test.mjs account-pages.test.mjs account.test.mjs
)
test_rc=$?
set -e

count() { sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$tap" 2>/dev/null | tail -n 1; }
passed="$(count pass)"; passed="${passed:-0}"
failed="$(count fail)"; failed="${failed:-0}"
cancelled="$(count cancelled)"; cancelled="${cancelled:-0}"
skipped="$(count skipped)"; skipped="${skipped:-0}"
failed=$((failed + cancelled))
[ "$skipped" -gt 0 ] && echo "tools/browser/run.sh: $skipped step(s) skipped after an earlier failure"

if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$test_rc" -ne 0 ]; then
  # A crash before any result still has to count as a failure.
  [ "$failed" -eq 0 ] && failed=1
  echo "tools/browser/run.sh: server log (last 40 lines):" >&2
  tail -n 40 "$server_log" >&2 || true
  exit 1
fi
exit 0

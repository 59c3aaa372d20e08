#!/usr/bin/env bash
# Builds SliceAuth, starts it on loopback with a fresh temporary data directory, runs the Postman collection
# with Newman against it, and stops it again. Works from any directory; needs only the .NET SDK, node and npm.
#
#   bash tools/postman/run.sh
#
# Environment:
#   SLICEAUTH_NEWMAN_PORT  port to serve on (default 5090)
#
# The last line is "newman: N passed, M failed" (assertions). The exit code is non-zero when an assertion
# failed, a request or script errored, or no assertion ran at all.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/tools/lib/sliceauth-server.sh"
port="${SLICEAUTH_NEWMAN_PORT:-5090}"
base_url="http://127.0.0.1:$port"
collection="$here/SliceAuth.postman_collection.json"
environment="$here/local.postman_environment.json"
reports="$here/reports" # git-ignored
report="$reports/newman.json"
server_log="$reports/server.log"

mkdir -p "$reports"
rm -f "$report"

# Answers 0 once something serves HTTP on the port (any status), 1 otherwise.
http_up() {
  node -e '
    const req = require("http").get(process.argv[1] + "/protected", { timeout: 2000 }, (res) => { res.resume(); process.exit(0); });
    req.on("timeout", () => req.destroy());
    req.on("error", () => process.exit(1));
  ' "$base_url"
}

echo "== npm ci (newman, pinned by package-lock.json)"
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null

if http_up; then
  echo "run.sh: something already answers on $base_url; set SLICEAUTH_NEWMAN_PORT to a free port." >&2
  exit 1
fi

echo "== dotnet build -c Release"
app_dir="$(mktemp -d "${TMPDIR:-/tmp}/sliceauth-newman-app.XXXXXX")"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/sliceauth-newman-data.XXXXXX")"
server_pid=""
newman_pid=""

cleanup() {
  if [[ -n "$newman_pid" ]]; then kill "$newman_pid" 2>/dev/null || true; fi
  sliceauth_stop
  rm -rf "$app_dir" "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sliceauth_build "$root" "$app_dir" "$reports/build.log" || { echo "run.sh: the build failed" >&2; exit 1; }

echo "== starting SliceAuth on $base_url (data in $data_dir)"
sliceauth_start "$app_dir" "$data_dir" "$base_url" "$server_log"
sliceauth_await http_up "$server_log" || exit 1

echo "== newman run"
newman_status=0
# In the background and waited for, so that a TERM or INT stops the run and the server at once.
"$here/node_modules/.bin/newman" run "$collection" \
  --environment "$environment" \
  --env-var "baseUrl=$base_url" \
   \
  --timeout-request 15000 \
  --color off \
  --reporters cli,json \
  --reporter-json-export "$report" &
newman_pid=$!
wait "$newman_pid" || newman_status=$?
newman_pid=""

if [[ ! -s "$report" ]]; then
  echo "run.sh: newman wrote no report (exit $newman_status)" >&2
  echo "newman: 0 passed, 0 failed"
  exit 1
fi

# Prints "total failed problems": the assertion counts, and how many requests, scripts or run errors failed.
counts="$(node -e '
  const run = require(process.argv[1]).run;
  const s = run.stats;
  const problems = s.requests.failed + s.testScripts.failed + s.prerequestScripts.failed + (run.error ? 1 : 0);
  console.log(s.assertions.total, s.assertions.failed, problems);
' "$report")" || counts="0 0 1"
read -r total failed problems <<<"$counts"

echo "report: $report"
status=0
if (( failed > 0 || problems > 0 || total == 0 || newman_status != 0 )); then
  (( problems > 0 )) && echo "run.sh: $problems request(s) or script(s) errored" >&2
  (( total == 0 )) && echo "run.sh: no assertion ran" >&2
  status=1
  echo "--- last lines of the server log ($server_log):" >&2
  tail -n 20 "$server_log" >&2
fi
echo "newman: $((total - failed)) passed, $failed failed"
exit "$status"

#!/usr/bin/env bash
# What a newcomer does, in a fresh clone of this checkout's HEAD: the README's run command until
# /health/live answers, stop it, the README's test command, then the run command again. The commands are
# read from README.md's "Set up" block, so the README cannot drift from what CI proves.
# Last line: "newcomer: N passed, M failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${NEWCOMER_PORT:-5070}"
passed=0 failed=0
ok() { echo "newcomer: ok   $*"; passed=$((passed + 1)); }
bad() { echo "newcomer: FAIL $*"; failed=$((failed + 1)); }
finish() { echo "newcomer: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# The two commands of the README's set-up block, comments stripped.
mapfile -t commands < <(awk '/^## Set up/{f=1} f&&/^```sh/{b=1;next} b&&/^```/{exit} b' "$ROOT/README.md" | sed -E 's/[[:space:]]+#.*$//')
run_cmd=$(printf '%s\n' "${commands[@]}" | grep -m1 '^dotnet run')
test_cmd=$(printf '%s\n' "${commands[@]}" | grep -m1 '^dotnet test')
if [ "${#commands[@]}" -ne 2 ] || [ -z "$run_cmd" ] || [ -z "$test_cmd" ]; then
  bad "README's set-up block should hold exactly a dotnet run and a dotnet test command (found ${#commands[@]} lines)"
  finish
fi
# The README names its own port; the stage uses its own so that it never meets a developer's server.
run_cmd=$(sed -E "s#--urls[= ]+[^ ]+#--urls http://127.0.0.1:$PORT#" <<<"$run_cmd")
[[ "$run_cmd" == *--urls* ]] || run_cmd="$run_cmd --urls http://127.0.0.1:$PORT"

clone=$(mktemp -d)
trap 'rm -rf "$clone"' EXIT
git clone -q "$ROOT" "$clone/sliceauth" || { bad "git clone"; finish; }
cd "$clone/sliceauth"

# Runs the README's run command until /health/live answers 200 (up to 180 s: the first run restores and
# builds), then stops it with SIGTERM as an operator would.
run_until_live() {
  local label=$1 log="$clone/run-$1.log" pid code=""
  setsid bash -c "exec $run_cmd" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 360); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/live" || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -TERM -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ "$code" = 200 ]; then ok "$label: '$run_cmd' answered /health/live 200"
  else bad "$label: '$run_cmd' never answered /health/live (last: ${code:-none})"; tail -n 20 "$log"; fi
}

run_until_live "first run"
[ -d data ] && ok "first run created ./data" || bad "first run created no ./data"

echo "newcomer: running '$test_cmd' in the clone (after the first run made ./data)"
if (bash -c "$test_cmd") >"$clone/test.log" 2>&1; then ok "'$test_cmd' passed after a run"
else bad "'$test_cmd' failed after a run"; grep -E 'error|Failed' "$clone/test.log" | head -n 20; fi

run_until_live "second run"
finish

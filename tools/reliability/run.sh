#!/usr/bin/env bash
# Reliability checks (issue 6): builds SliceAuth in Release, builds tools/reliability/Reliability.csproj and runs it.
# The checks start and kill SliceAuth processes on 127.0.0.1:5300-5399 with throwaway data directories.
# Prints per check "<name>: N passed, M failed" and last "reliability: N passed, M failed"; exits non-zero on a failure.
#
# Knobs (arguments are passed through; each also as an env var):
#   --long (REL_LONG=1)         by-hand defaults: 20 kill -9 trials, 900 s soak, 20000 barrage requests
#   --trials N (REL_TRIALS)     kill -9 trials (default 5)
#   --soak S (REL_SOAK)         soak duration in seconds (default 60)
#   --barrage N (REL_BARRAGE)   barrage size (default 4000)
#   --seed N (REL_SEED)         seed for every random choice (default random; printed)
#   --checks a,b (REL_CHECKS)   only these: kill9,races,barrage,second-instance,restart,soak,storage-faults
#                               (the default), or cluster-* / `cluster` for the whole cluster group
#   --storage S (REL_STORAGE)   LiteDb (default) or Postgres: every non-cluster check's server on a throwaway PostgreSQL,
#                               a database per data directory (second-instance and storage-faults are LiteDB's own: skipped)
#   --cluster (REL_CLUSTER=1)   the cluster group alone (= --checks cluster): three instances on a throwaway
#                               PostgreSQL (tools/postgres/server.sh); prints "cluster: N passed, M failed" too
#   --revocation-trials N       cluster-revocation's timed revocations (default 200)
#   --keep (REL_KEEP=1)         keep the data directories even when everything passed
#   SLICEAUTH_ROOT              the SliceAuth checkout to build and test (default: this repository)
#   --app PATH (REL_APP)        the SliceAuth.dll to run (run.sh passes its own build; the runner alone defaults to
#                               <root>/bin/Release/net10.0/SliceAuth.dll)
set -uo pipefail

REL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${SLICEAUTH_ROOT:-$REL_DIR/../..}" && pwd)"

fail() { echo "tools/reliability/run.sh: $*" >&2; echo "reliability: 0 passed, 1 failed"; exit 1; }

# The storage checks run the server as nobody (setpriv), who may not be able to enter the checkout (a clone under
# /root or in a mktemp -d directory is 0700). So the app is built into a directory of the run's own, which it
# makes world-readable and traversable, and the server runs from there (its working directory too).
app_dir="$(mktemp -d "${TMPDIR:-/tmp}/sliceauth-reliability-app.XXXXXX")" || fail "cannot make a directory for the app"
trap 'rm -rf "$app_dir"' EXIT
dotnet build "$ROOT/SliceAuth.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly -o "$app_dir" || fail "building SliceAuth failed"
chmod -R a+rX "$app_dir" || fail "cannot make $app_dir readable"
chmod 755 "$app_dir"
dotnet build "$REL_DIR/Reliability.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly || fail "building the checks failed"

runner=(dotnet "$REL_DIR/bin/Release/net10.0/Reliability.dll" --root "$ROOT" --app "$app_dir/SliceAuth.dll")
# A private mount namespace (when allowed): the tmpfs mounts the storage checks make vanish with the run,
# whatever happens to it.
if [ "$(id -u)" -eq 0 ] && unshare --mount --propagation private true 2>/dev/null; then
  runner=(unshare --mount --propagation private "${runner[@]}")
fi

"${runner[@]}" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' INT TERM
wait "$pid"
rc=$?
# wait returns early when a trapped signal arrives; wait again for the real exit status.
if kill -0 "$pid" 2>/dev/null; then wait "$pid"; rc=$?; fi
exit "$rc"

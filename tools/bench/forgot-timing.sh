#!/usr/bin/env bash
# Does the answer to POST /password/forgot take the same time whether or not the address has an account?
# Starts SliceAuth (Release, throwaway data directory; SLICEAUTH_STORAGE=Postgres for PostgreSQL), registers one
# account, then alternates requests for its address and for addresses no account has, one connection, and prints
# the median and p90 of each and the ratio of the medians. Not a test: a figure to read (1.00 is the promise).
#
#   bash tools/bench/forgot-timing.sh [PAIRS]     (default 400 pairs)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/tools/lib/sliceauth-server.sh"
port="${SLICEAUTH_FORGOT_PORT:-5595}"
work="$(mktemp -d)"
chmod 755 "$work" # the PostgreSQL server (user postgres) must reach its cluster inside
server_pid=""
trap 'sliceauth_stop; rm -rf "$work"' EXIT

sliceauth_build "$root" "$work/app" "$work/build.log"
mkdir -p "$work/data"
sliceauth_start "$work/app" "$work/data" "http://127.0.0.1:$port" "$work/server.log"
up() { curl -sf -o /dev/null "http://127.0.0.1:$port/health/live"; }
sliceauth_await up "$work/server.log"

python3 "$here/forgot-timing.py" "http://127.0.0.1:$port" "${1:-400}"

# Sourced by the tools' run.sh scripts: build, start, await and stop one SliceAuth server on loopback.
# Sets and reads the caller's variable server_pid.

# sliceauth_build ROOT APP_DIR LOG: a Release build of the app into APP_DIR; prints the log on failure.
sliceauth_build() {
  dotnet build "$1/SliceAuth.csproj" -c Release -o "$2" -nologo -v quiet >"$3" 2>&1 && return 0
  cat "$3" >&2
  return 1
}

SLICEAUTH_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# sliceauth_storage DATA_DIR: fills the array storage_env with the settings of the storage the run uses.
# SLICEAUTH_STORAGE=Postgres (default LiteDb): a throwaway PostgreSQL cluster in DATA_DIR/pg on port
# SLICEAUTH_PG_PORT (default 55490), migrated on start, with a random pepper; sliceauth_storage_stop ends it.
sliceauth_storage() {
  storage_env=()
  [[ ${SLICEAUTH_STORAGE:-LiteDb} == Postgres ]] || return 0
  chmod 755 "$1"
  local connection
  connection=$(bash "$SLICEAUTH_LIB_DIR/../postgres/server.sh" start "$1/pg" "${SLICEAUTH_PG_PORT:-55490}") || return 1
  storage_env=(Storage__Provider=Postgres "ConnectionStrings__Postgres=$connection" Storage__Postgres__MigrateOnStart=true
    "Auth__Pepper=$(head -c 32 /dev/urandom | base64)")
  sliceauth_pg_dir="$1/pg"
}

sliceauth_storage_stop() {
  [[ -n "${sliceauth_pg_dir:-}" ]] || return 0
  bash "$SLICEAUTH_LIB_DIR/../postgres/server.sh" stop "$sliceauth_pg_dir" || true
  sliceauth_pg_dir=""
}

# sliceauth_start APP_DIR DATA_DIR BASE_URL LOG: starts the built app in the background (server_pid).
# Started from the build output so the app finds its appsettings.json; exec keeps $! the server's own pid.
# RateLimiting__Enabled=false: the per-client limits would trip, as the tools register and log in many users
# from one address. The per-account login throttle stays on.
sliceauth_start() {
  sliceauth_storage "$2" || return 1
  (
    cd "$1"
    export Storage__DataDirectory="$2" Auth__BcryptWorkFactor=4 RateLimiting__Enabled=false ASPNETCORE_ENVIRONMENT=Production
    exec env "${storage_env[@]}" dotnet SliceAuth.dll --urls "$3"
  ) >"$4" 2>&1 &
  server_pid=$!
}

# sliceauth_await UP_COMMAND LOG: waits up to 60 s for UP_COMMAND to succeed; on failure prints why and the log.
sliceauth_await() {
  for _ in $(seq 120); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "SliceAuth exited before answering; its log:" >&2
      cat "$2" >&2
      return 1
    fi
    "$1" && return 0
    sleep 0.5
  done
  echo "SliceAuth did not answer within 60 s; its log:" >&2
  cat "$2" >&2
  return 1
}

# sliceauth_stop: SIGTERM, up to 5 s to drain, then SIGKILL; then the storage's server, if the run started one.
sliceauth_stop() {
  [[ -n "${server_pid:-}" ]] && kill -0 "$server_pid" 2>/dev/null || return 0
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server_pid" 2>/dev/null; then kill -9 "$server_pid" 2>/dev/null || true; fi
  wait "$server_pid" 2>/dev/null || true
  sliceauth_storage_stop
}

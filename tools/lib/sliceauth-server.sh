# Sourced by the tools' run.sh scripts: build, start, await and stop one SliceAuth server on loopback.
# Sets and reads the caller's variable server_pid.

# sliceauth_build ROOT APP_DIR LOG: a Release build of the app into APP_DIR; prints the log on failure.
sliceauth_build() {
  dotnet build "$1/SliceAuth.csproj" -c Release -o "$2" -nologo -v quiet >"$3" 2>&1 && return 0
  cat "$3" >&2
  return 1
}

# sliceauth_start APP_DIR DATA_DIR BASE_URL LOG: starts the built app in the background (server_pid).
# Started from the build output so the app finds its appsettings.json; exec keeps $! the server's own pid.
# RateLimiting__Enabled=false: the per-client limits would trip, as the tools register and log in many users
# from one address. The per-account login throttle stays on.
sliceauth_start() {
  (
    cd "$1"
    export Storage__DataDirectory="$2" Auth__BcryptWorkFactor=4 RateLimiting__Enabled=false ASPNETCORE_ENVIRONMENT=Production
    exec dotnet SliceAuth.dll --urls "$3"
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

# sliceauth_stop: SIGTERM, up to 5 s to drain, then SIGKILL.
sliceauth_stop() {
  [[ -n "${server_pid:-}" ]] && kill -0 "$server_pid" 2>/dev/null || return 0
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server_pid" 2>/dev/null; then kill -9 "$server_pid" 2>/dev/null || true; fi
  wait "$server_pid" 2>/dev/null || true
}

#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback, for the tests, the cluster check and the bench.
#   server.sh start DIR PORT   initdb (first time) and start; prints the connection string on stdout
#   server.sh stop DIR         fast shutdown
#   server.sh kill DIR         immediate shutdown (a crash: no checkpoint)
#   server.sh status DIR
# The server binaries come from the machine image's postgresql-15 package (installed with apt-get when
# missing); initdb and postgres refuse root, so as root they run as the `postgres` user.
set -euo pipefail

command=${1:?usage: server.sh start|stop|kill|status DIR [PORT]}
dir=${2:?usage: server.sh start|stop|kill|status DIR [PORT]}
dir=$(realpath -m "$dir") # absolute: the script moves to / below
port=${3:-}

bin_dir() {
  local initdb
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$initdb" ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "postgres: installing postgresql-15 with apt-get" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >/dev/null; }
      initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    fi
    [[ -n "$initdb" ]] || { echo "postgres: no PostgreSQL server binaries (install postgresql-15)" >&2; exit 1; }
  fi
  dirname "$initdb"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin=$(bin_dir)
data="$dir/data"
# The server tools run as postgres, who may not be allowed into the caller's directory (a clone in a 0700
# mktemp directory): they would warn about it on every call.
cd /

case "$command" in
  start)
    [[ -n "$port" ]] || { echo "usage: server.sh start DIR PORT" >&2; exit 2; }
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres "$dir"; chmod 700 "$dir"
      runuser -u postgres -- test -x "$dir" ||
        { echo "postgres: the user postgres cannot reach $dir; make its parent directories traversable (chmod o+x)" >&2; exit 1; }
    fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
      as_owner "$bin/initdb" -D "$data" -U sliceauth --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
      # Loopback only; the tests start three instances, each with its own pool.
      cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 400
shared_buffers = 64MB
CONF
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$data" -o "-p $port" -l "$dir/server.log" -w -t 60 start >/dev/null ||
        { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    echo "Host=127.0.0.1;Port=$port;Username=sliceauth;Database=postgres"
    ;;
  stop) as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null ;;
  kill) as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null ;;
  status) as_owner "$bin/pg_ctl" -D "$data" status ;;
  *) echo "unknown command $command" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# A throwaway Redis on loopback, for the tests of the shared rate limits (no persistence: nothing is kept).
#   server.sh start DIR PORT   starts redis-server on 127.0.0.1:PORT with its pid and log in DIR; prints
#                              the connection string (ConnectionStrings:Redis) on stdout
#   server.sh stop DIR         stops it and waits until it has exited
#   server.sh pause DIR        freezes it (SIGSTOP): connections stay open, nothing answers (a hung server)
#   server.sh resume DIR       lets it go on (SIGCONT)
# redis-server comes from Debian's redis-server package, installed with apt-get when missing (as root).
# A port another process holds is refused (exit 1), never silently shared: callers pick another port.
set -euo pipefail

usage="usage: server.sh start DIR PORT | stop DIR | pause DIR | resume DIR"
command=${1:?$usage}
dir=${2:?$usage}
port=${3:-}
pidfile="$dir/redis.pid"

ensure_installed() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "redis: installing redis-server with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null; }
  fi
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
    { echo "redis: no redis-server (install the Debian package redis-server)" >&2; exit 1; }
}

running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid=$(cat "$pidfile")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { [[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]; }

# The server on the port is the one started here (two starts racing for one port: one of them loses).
ours() { redis-cli -h 127.0.0.1 -p "$1" info server 2>/dev/null | tr -d '\r' | grep -qx "process_id:$2"; }

case "$command" in
  start)
    [[ -n "$port" ]] || { echo "usage: server.sh start DIR PORT" >&2; exit 2; }
    ensure_installed
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    pidfile="$dir/redis.pid"
    if ! running_pid >/dev/null; then
      if answers "$port"; then echo "redis: port $port is already in use" >&2; exit 1; fi
      rm -f "$pidfile"
      # No RDB snapshots, no AOF: a test server keeps nothing across a stop.
      redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
        --daemonize yes --pidfile "$pidfile" --logfile "$dir/redis.log" ||
        { tail -n 20 "$dir/redis.log" >&2 2>/dev/null; exit 1; }
    fi
    for _ in $(seq 1 100); do
      if pid=$(running_pid) && ours "$port" "$pid"; then echo "127.0.0.1:$port"; exit 0; fi
      [[ -f "$pidfile" ]] && ! running_pid >/dev/null && break # it started and died (the port was taken)
      sleep 0.1
    done
    echo "redis: did not answer on 127.0.0.1:$port" >&2
    tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
    exit 1
    ;;
  stop)
    pid=$(running_pid) || exit 0
    kill -CONT "$pid" 2>/dev/null || true # a paused server cannot act on the TERM
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    ;;
  pause) pid=$(running_pid) || { echo "redis: not running in $dir" >&2; exit 1; }; kill -STOP "$pid" ;;
  resume) pid=$(running_pid) || { echo "redis: not running in $dir" >&2; exit 1; }; kill -CONT "$pid" ;;
  *) echo "$usage" >&2; exit 2 ;;
esac

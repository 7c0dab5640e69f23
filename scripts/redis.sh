#!/usr/bin/env bash
# Redis for distributed crawls on 127.0.0.1, with deploy/redis.conf (append-only file on).
#   scripts/redis.sh start | stop | status
# Installs redis-server (Debian package) when it is missing. Environment: REDIS_PORT (6379),
# REDIS_STATE (state/redis: data, log and pid file).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${REDIS_PORT:-6379}
STATE=$(mkdir -p "${REDIS_STATE:-state/redis}" && cd "${REDIS_STATE:-state/redis}" && pwd)
PIDFILE=$STATE/redis.pid

ping() { redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; }

install() {
  command -v redis-server >/dev/null && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq redis-server
}

case "${1:-}" in
  start)
    install
    if ping; then echo "redis already running on 127.0.0.1:$PORT"; exit 0; fi
    redis-server deploy/redis.conf --port "$PORT" --dir "$STATE" --daemonize yes \
      --pidfile "$PIDFILE" --logfile "$STATE/redis.log"
    for _ in $(seq 50); do ping && break; sleep 0.1; done
    ping && echo "redis on redis://127.0.0.1:$PORT/0 (data and log: $STATE)"
    ;;
  stop)
    if ping; then redis-cli -h 127.0.0.1 -p "$PORT" shutdown >/dev/null 2>&1 || true; fi
    for _ in $(seq 50); do ping || break; sleep 0.1; done
    rm -f "$PIDFILE"
    echo "redis stopped"
    ;;
  status) ping && echo "redis running on 127.0.0.1:$PORT" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

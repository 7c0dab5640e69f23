#!/usr/bin/env bash
# Run akhbar under a real scrapyd on 127.0.0.1: start it, deploy the project, schedule a crawl.
#   scripts/scrapyd.sh start | deploy | schedule [SITE] [BASE_URL] | stop | status
# Uses .venv (make scrapyd installs scrapyd and scrapyd-client there) and deploy/scrapyd.conf.
# Environment: SCRAPYD_PORT (6800), SCRAPYD_STATE (state/scrapyd), SCRAPYD_TARGET (the
# scrapy.cfg deploy target, "default"), AKHBAR_OUT (output).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/.venv/bin
PORT=${SCRAPYD_PORT:-6800}
URL=http://127.0.0.1:$PORT
STATE=$(mkdir -p "${SCRAPYD_STATE:-state/scrapyd}" && cd "${SCRAPYD_STATE:-state/scrapyd}" && pwd)
OUT=$(mkdir -p "${AKHBAR_OUT:-output}" && cd "${AKHBAR_OUT:-output}" && pwd)

status() { curl -fsS "$URL/daemonstatus.json"; }

case "${1:-}" in
  start)
    if status >/dev/null 2>&1; then echo "scrapyd already running at $URL"; exit 0; fi
    # scrapyd reads ./scrapyd.conf: run it from a folder holding ours.
    sed -e "s#state/scrapyd/#$STATE/#" -e "s#^http_port .*#http_port    = $PORT#" \
      deploy/scrapyd.conf >"$STATE/scrapyd.conf"
    (cd "$STATE" && exec "$BIN/scrapyd" --pidfile "$STATE/scrapyd.pid" \
      >scrapyd.log 2>&1 </dev/null) &
    for _ in $(seq 50); do status >/dev/null 2>&1 && break; sleep 0.2; done
    status && echo && echo "scrapyd at $URL (log: $STATE/scrapyd.log)"
    ;;
  deploy)
    "$BIN/scrapyd-deploy" "${SCRAPYD_TARGET:-default}" -p akhbar
    ;;
  schedule)
    site=${2:-enabbaladi}
    args=(-d project=akhbar -d "spider=$site" -d "setting=AKHBAR_OUTPUT_DIR=$OUT")
    [ -n "${3:-}" ] && args+=(-d "base_url=$3")
    curl -fsS "$URL/schedule.json" "${args[@]}" && echo
    ;;
  stop)
    [ -f "$STATE/scrapyd.pid" ] && kill "$(cat "$STATE/scrapyd.pid")" && rm -f "$STATE/scrapyd.pid"
    echo "scrapyd stopped"
    ;;
  status) status && echo ;;
  *) echo "usage: $0 start|deploy|schedule [SITE] [BASE_URL]|stop|status" >&2; exit 2 ;;
esac

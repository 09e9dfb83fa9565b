#!/usr/bin/env bash
# The public board (GET /api/v1/units/{code}/board) against /healthz, the
# cheapest route the server has, for the same duration on 127.0.0.1 with
# wrk (Debian package `wrk`). Prints
#   ratio=R board_per_s=B healthz_per_s=H
# where R = B / H: how much of the server's bare request rate the board keeps,
# after (as comments) the board page's load time in Chromium on Slow 3G
# (load-time.mjs).
#
#   XF_BIN=build/release/app/xianfeng bench/board/run.sh [seconds] [connections]
#
# A fresh SQLite database with the demo county (init + demo), the server on
# a free port, wrk with 2 threads; everything it starts it stops.
set -euo pipefail

BIN=${XF_BIN:-build/release/app/xianfeng}
DURATION=${1:-10}
CONNECTIONS=${2:-16}
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN not found; build it or set XF_BIN" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DB="sqlite:$WORK/bench.db"
XF_ADMIN_PASSWORD=bench-admin-password-2026 "$BIN" init --db "$DB" --admin admin >/dev/null 2>&1
DEMO=$("$BIN" demo --db "$DB" 2>/dev/null)
# The secretary's branch: the demo's featured branch, with a theme, a plan
# and commitments on its board.
CODE=$(sed -n 's/^demo login: secretary (secretary @ \(.*\))$/\1/p' <<<"$DEMO")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --web web/dist >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

BOARD_BYTES=$(curl -fs "http://127.0.0.1:$PORT/api/v1/units/$CODE/board" | wc -c)
COMMITMENTS=$(curl -fs "http://127.0.0.1:$PORT/api/v1/units/$CODE/board" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["commitments"]))')

rate() {  # wrk's Requests/sec for one URL
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'
}
BOARD=$(rate "http://127.0.0.1:$PORT/api/v1/units/$CODE/board")
HEALTHZ=$(rate "http://127.0.0.1:$PORT/healthz")
RATIO=$(python3 -c "print(f'{$BOARD / $HEALTHZ:.3f}')")
echo "# unit=$CODE commitments=$COMMITMENTS board_bytes=$BOARD_BYTES duration=${DURATION}s connections=$CONNECTIONS bin=$BIN"
# The page a resident opens from the QR code, on a slow phone connection.
node "$(dirname "$0")/load-time.mjs" "http://127.0.0.1:$PORT" "$CODE" 5 | sed 's/^/# /'
echo "ratio=$RATIO board_per_s=$BOARD healthz_per_s=$HEALTHZ"

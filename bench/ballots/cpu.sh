#!/usr/bin/env bash
# CPU per request, per thread: steadier than run.sh's ratio on a shared
# machine, for A/B runs of a change on the hot path.
#
#   bench/ballots/cpu.sh ROUND_DIR [RATE] [SECONDS] [KIND]
#
# ROUND_DIR is a SQLite round run.sh loaded (bench.db + codes.txt), for
# example /tmp/xf-bench-ballots/sqlite-2x5x100x100x1 (BENCH_SIZE="2 5 100 100 1").
# It is copied first (the copy takes the ballots, so every run starts from
# the same state, on the codes after run.sh's used_offset). KIND is ballots (default) or echo. The server runs
# `--workers 1`; a warm-up (10 s at 1 500/s, not counted) fills its caches;
# then RATE/s (default 5 000) for SECONDS (default 12). A server that has
# run for minutes has a warmer page cache than 10 s give: CPU_WARMUP="RATE
# SECONDS" (default "1500 10") before rates near the sustainable one. Prints the driver's
# line, then µs of CPU per answered request for each server thread
# (/proc/PID/task/*/stat, user + system) and for the driver process.
# CPU_CONNECTIONS (default 2048) sets the driver's connections, CPU_SERVE_ARGS
# adds serve options; the driver's per-second timeline is left in
# $CPU_WORK/timeline.txt. CPU_PERF=1 also samples the server with perf.
# Starts and stops its own server on 127.0.0.1; nothing else is touched.
set -euo pipefail
cd "$(dirname "$0")/../.."

SRC=${1:?usage: bench/ballots/cpu.sh ROUND_DIR [RATE] [SECONDS] [echo|ballots]}
RATE=${2:-5000}
SECONDS_RUN=${3:-12}
KIND=${4:-ballots}
BIN=${XF_BIN:-build/release/app/xianfeng}
DRIVER=build/bench-driver/bench-driver
WORK=${CPU_WORK:-/tmp/xf-bench-cpu}
TICKS=$(getconf CLK_TCK)

cmake -S bench/ballots -B build/bench-driver -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/bench-driver -j2 >/dev/null

# A new file each run (a new inode: nothing of the last run stays cached by name).
rm -rf "$WORK"
mkdir -p "$WORK"
cp "$SRC/bench.db" "$WORK/bench.db"
# Written back before the run, not during it (a 2-3 GB copy's writeback
# competes with the WAL's syncs), and read into the kernel's cache.
sync "$WORK/bench.db"
cat "$WORK/bench.db" >/dev/null

# shellcheck disable=SC2086 # CPU_SERVE_ARGS: more serve options, split on spaces
"$BIN" serve --db "sqlite:$WORK/bench.db" --listen 127.0.0.1:0 --workers 1 --web web/dist \
  ${CPU_SERVE_ARGS:-} >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 300); do
  PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.2
done
[ -n "$PORT" ] || { cat "$WORK/server.log" >&2; exit 1; }

# The round's unused codes start where run.sh stopped (its used_offset).
OFFSET=$(cat "$SRC/used_offset" 2>/dev/null || echo 0)
# drive RATE SECONDS: one driver run; its line on stdout, its CPU ticks in $WORK/driver.ticks.
drive() {
  local args=(--port "$PORT" --rate "$1" --duration "$2" --connections "${CPU_CONNECTIONS:-2048}")
  if [ "$KIND" = echo ]; then
    args+=(--path /api/v1/echo --body '{"code":"BENCH0-ECHO00-BODY00","grades":{"1":["satisfied"]}}')
  else
    args+=(--path /api/v1/ballots --codes "$SRC/codes.txt" --offset "$OFFSET")
  fi
  "$DRIVER" "${args[@]}" --timeline 1 2>"$WORK/timeline.txt" >"$WORK/driver.out" &
  local pid=$!
  # The driver's own CPU, read just before it exits (it sleeps through its drain).
  local ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo "$ticks")
    sleep 0.2
  done
  wait "$pid" || true
  echo "$ticks" >"$WORK/driver.ticks"
  OFFSET=$(grep -o 'next_offset=[0-9]*' "$WORK/driver.out" | cut -d= -f2)
  cat "$WORK/driver.out"
}

# name ticks, one line per server thread.
thread_ticks() {
  for task in /proc/"$SERVER_PID"/task/*; do
    awk -v name="$(cat "$task/comm")" '{print name, $14 + $15}' "$task/stat"
  done | awk '{t[$1] += $2} END {for (n in t) print n, t[n]}' | sort
}

# shellcheck disable=SC2086 # "RATE SECONDS"
drive ${CPU_WARMUP:-1500 10} >/dev/null
thread_ticks >"$WORK/before"
# CPU_PERF=1: a sampled profile of the server during the measured run, for
# `perf report -i $WORK/perf.data --sort comm,symbol`.
PERF_PID=""
if [ -n "${CPU_PERF:-}" ]; then
  perf record -q -F 1999 -p "$SERVER_PID" -o "$WORK/perf.data" -- sleep "$SECONDS_RUN" 2>/dev/null &
  PERF_PID=$!
fi
line=$(drive "$RATE" "$SECONDS_RUN")
thread_ticks >"$WORK/after"
[ -z "$PERF_PID" ] || wait "$PERF_PID"
echo "$line"
answered=$(grep -o '\bs2xx=[0-9]*' <<<"$line" | cut -d= -f2)
[ "$answered" -gt 0 ] || { echo "nothing answered" >&2; exit 1; }
join "$WORK/before" "$WORK/after" | while read -r name t0 t1; do
  awk -v n="$name" -v d="$((t1 - t0))" -v a="$answered" -v hz="$TICKS" \
    'BEGIN { if (d > 0) printf "%-16s %6.1f µs per answer\n", n, d * 1e6 / hz / a }'
done
awk -v d="$(cat "$WORK/driver.ticks")" -v a="$answered" -v hz="$TICKS" \
  'BEGIN { printf "%-16s %6.1f µs per answer\n", "driver", d * 1e6 / hz / a }'

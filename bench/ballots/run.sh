#!/usr/bin/env bash
# Ballots against a trivial JSON POST on the same server, open loop, on a
# province-sized round (issue 4 §6). For each database it
#   1. loads the round (bench/ballots/load.mjs; cached under $BENCH_CACHE),
#   2. starts `xianfeng serve --workers 1` on a free port of 127.0.0.1,
#   3. finds the sustainable open-loop rate of POST /api/v1/echo and of
#      POST /api/v1/ballots: steps the rate up (×1.5) for $BENCH_STEP_S s each
#      until p99 exceeds $BENCH_P99_MS ms or anything but a 2xx comes back
#      (twice in a row: one retry per step), then halves the gap between the
#      last rate that held and the first that did not until it is under a
#      tenth, at most $BENCH_REFINE_STEPS (3) times (after a warm-up),
#   4. runs each at its sustainable rate for $BENCH_HOLD_S s: the figures
#      (a hold that fails is tried again 10 % lower, at most
#      $BENCH_HOLD_RETRIES (2) more times),
#   5. overload: ballots at twice their sustainable rate for $BENCH_OVERLOAD_S s;
#      the excess must get 503/429 with Retry-After within $BENCH_P99_MS ms (p99),
#      the accepted ballots keep p99 ≤ $BENCH_OVERLOAD_P99_MS ms, /healthz answers
#      afterwards and the server's RSS grows by less than 256 MB,
# and ends its block with
#   ratio=R ballots_per_s=B trivial_post_per_s=T db=sqlite|postgres
# (R = B / T). The output is appended to bench/ballots/results.txt with the
# date, the git commit and the binary.
#
#   XF_BIN=build/release/app/xianfeng bench/ballots/run.sh [sqlite|postgres|both]
#
# Sizes (develop small: BENCH_SIZE="2 5 100 100 1" is 1 000 branches, 100 000 codes):
#   BENCH_SIZE="counties townships-per-county branches-per-township codes-per-batch every"
#   codes go in one batch to every EVERY-th branch (default "100 10 100 1000 10":
#   100 000 branches in the round, 10 000 of them with 1 000 codes: 10 000 000 codes).
# BENCH_LOAD_ONLY=1 only loads (or completes an interrupted load), to have the
# cache ready ahead of a run. Every process it starts it stops; only 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${XF_BIN:-build/release/app/xianfeng}
read -r COUNTIES TOWNSHIPS BRANCHES CODES EVERY <<<"${BENCH_SIZE:-100 10 100 1000 10}"
CACHE=${BENCH_CACHE:-/tmp/xf-bench-ballots}
P99_MS=${BENCH_P99_MS:-100}
OVERLOAD_P99_MS=${BENCH_OVERLOAD_P99_MS:-$((P99_MS * 2))}
STEP_S=${BENCH_STEP_S:-5}
HOLD_S=${BENCH_HOLD_S:-20}
OVERLOAD_S=${BENCH_OVERLOAD_S:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-256}
# A ballot's answer waits for its batch's commit (tens of ms), so at a few
# thousand per second more ballots are in flight than 256 connections carry
# (Little's law: 256 / 50 ms = 5 000/s) — and voters are many phones, each
# with its own connection. Echo keeps 256, its best.
BALLOT_CONNECTIONS=${BENCH_BALLOT_CONNECTIONS:-2048}
# More than the server queues (the ballot committer refuses beyond 2 000
# waiting), else the excess would wait in the driver and never reach it.
OVERLOAD_CONNECTIONS=${BENCH_OVERLOAD_CONNECTIONS:-4096}
ECHO_START=${BENCH_ECHO_START:-500}
BALLOT_START=${BENCH_BALLOT_START:-100}
WARMUP_RATE=${BENCH_WARMUP_RATE:-1000}
WARMUP_S=${BENCH_WARMUP_S:-20}
MAX_STEPS=${BENCH_MAX_STEPS:-14}
REFINE_STEPS=${BENCH_REFINE_STEPS:-3}
HOLD_RETRIES=${BENCH_HOLD_RETRIES:-2}
DRIVER=build/bench-driver/bench-driver
RESULTS=bench/ballots/results.txt
[ -x "$BIN" ] || { echo "$BIN not found; build it or set XF_BIN" >&2; exit 1; }

SERVER_PID=""
PG_STARTED=""
cleanup() {
  stop_server
  if [ -n "$PG_STARTED" ]; then pg_stop; fi
}
trap cleanup EXIT

build_driver() {
  cmake -S bench/ballots -B build/bench-driver -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/bench-driver -j2 >/dev/null
}

# key=value from the driver's line.
field() { grep -o "\b$1=[^ ]*" <<<"$2" | head -1 | cut -d= -f2; }

# Loads (or reuses) the round for database $1; sets DIR and DB_URL.
load_round() {
  local db=$1
  DIR="$CACHE/$db-${COUNTIES}x${TOWNSHIPS}x${BRANCHES}x${CODES}x${EVERY}"
  local size=(--counties "$COUNTIES" --townships "$TOWNSHIPS" --branches "$BRANCHES" --codes "$CODES" --every "$EVERY")
  if [ "$db" = sqlite ]; then
    DB_URL="sqlite:$DIR/bench.db"
    node bench/ballots/load.mjs --bin "$BIN" --dir "$DIR" --db "$DB_URL" "${size[@]}" | sed 's/^/# load: /'
    # A live server has its database in the kernel's page cache; a file
    # last touched an hour ago may not (this machine reclaims idle pages),
    # and the first minute of ballots would measure the disk instead.
    cat "$DIR"/bench.db* >/dev/null
    return
  fi
  # PostgreSQL: a throwaway cluster per run, so the loaded database is kept
  # as a dump beside the codes and restored (with its own unused codes).
  # shellcheck source=../../scripts/lib/postgres.sh
  source scripts/lib/postgres.sh
  # The production settings of docs/operations.md (a default cluster has
  # 128 MB of buffers and a checkpoint per 1 GB of WAL).
  export XF_PG_OPTIONS=${XF_PG_OPTIONS:-"-c shared_buffers=2GB -c max_wal_size=8GB -c checkpoint_timeout=15min -c wal_compression=lz4"}
  pg_start >/dev/null
  PG_STARTED=1
  psql "$XF_TEST_POSTGRES_URL" -qc 'CREATE DATABASE xf_bench'
  DB_URL="${XF_TEST_POSTGRES_URL%/*}/xf_bench"
  if [ -f "$DIR/bench.dump" ]; then
    local started=$SECONDS
    pg_restore -d "$DB_URL" --no-owner -j2 "$DIR/bench.dump"
    # A restored database has no planner statistics and no visibility map
    # yet, and autovacuum would spend the run's disk on them; a live one
    # would have both.
    psql "$DB_URL" -qc 'VACUUM (ANALYZE)'
    # And the restored gigabytes written out now, not by PostgreSQL's
    # checkpointer during the first measurements (the echo steps of one run
    # held 12 807/s against 19 210/s in the runs before it).
    psql "$DB_URL" -qc 'CHECKPOINT'
    rm -f "$DIR/used_offset"
    echo "# load: restored $DIR/bench.dump in $((SECONDS - started)) s"
  else
    rm -rf "$DIR"
  fi
  node bench/ballots/load.mjs --bin "$BIN" --dir "$DIR" --db "$DB_URL" "${size[@]}" | sed 's/^/# load: /'
  [ -f "$DIR/bench.dump" ] || pg_dump -Fc -f "$DIR/bench.dump" "$DB_URL"
}

start_server() {
  "$BIN" serve --db "$DB_URL" --listen 127.0.0.1:0 --workers 1 --web web/dist >"$DIR/server.log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 600); do
    PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DIR/server.log" | head -1)
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$PORT" ] || { echo "server did not start" >&2; exit 1; }
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }

# The server's own totals from /metrics: shed refusals (it ran late),
# committer refusals (queue full or old), batches and ballots committed.
server_counts() {
  curl -s --max-time 5 "http://127.0.0.1:$PORT/metrics" | awk '
    /^xf_http_shed_refusals_total / { s = $2 } /^xf_ballot_queue_refusals_total / { q = $2 }
    /^xf_ballot_batches_total / { b = $2 } /^xf_ballot_batch_items_total / { i = $2 }
    END { printf "%d %d %d %d\n", s, q, b, i }'
}

# What a ballot run cost the server, from the totals before and after it:
# which part refused the 503s, and the mean batch per transaction.
server_delta() {
  read -r s0 q0 b0 i0 <<<"$1"
  read -r s1 q1 b1 i1 <<<"$2"
  awk -v s=$((s1 - s0)) -v q=$((q1 - q0)) -v b=$((b1 - b0)) -v i=$((i1 - i0)) \
    'BEGIN { printf "shed=%d queue_refused=%d batches=%d mean_batch=%.1f", s, q, b, b ? i / b : 0 }'
}

# drive echo|ballots RATE SECONDS [CONNECTIONS]: one driver run, its line on stdout.
drive() {
  local kind=$1 rate=$2 seconds=$3 conns=${4:-} line
  if [ -z "$conns" ]; then
    conns=$CONNECTIONS
    [ "$kind" = ballots ] && conns=$BALLOT_CONNECTIONS
  fi
  if [ "$kind" = echo ]; then
    line=$("$DRIVER" --port "$PORT" --path /api/v1/echo --rate "$rate" --duration "$seconds" \
      --connections "$conns" --body '{"code":"BENCH0-ECHO00-BODY00","grades":{"1":["satisfied"]}}' 2>/dev/null)
  else
    local before
    before=$(server_counts)
    line=$("$DRIVER" --port "$PORT" --path /api/v1/ballots --rate "$rate" --duration "$seconds" \
      --connections "$conns" --codes "$DIR/codes.txt" --offset "$(cat "$DIR/used_offset" 2>/dev/null || echo 0)" 2>/dev/null)
    field next_offset "$line" >"$DIR/used_offset"
    line="$line $(server_delta "$before" "$(server_counts)")"
  fi
  echo "$line"
}

# Held: every request answered 2xx and p99 within the bound.
held() {
  local line=$1
  [ "$(field s2xx "$line")" = "$(field scheduled "$line")" ] &&
    [ "$(field codes_ran_out "$line")" = 0 ] &&
    awk -v p="$(field p99_ms "$line")" -v b="$P99_MS" 'BEGIN { exit !(p <= b) }'
}

# step_holds echo|ballots RATE: one step, with one retry — on a shared
# machine a step can fail because something else took the CPU or the disk
# for a moment. Prints the step's line on stderr.
step_holds() {
  local kind=$1 rate=$2 line
  line=$(drive "$kind" "$rate" "$STEP_S")
  if ! held "$line"; then
    echo "# step $kind rate=$rate failed once: $line" >&2
    line=$(drive "$kind" "$rate" "$STEP_S")
  fi
  if held "$line"; then
    echo "# step $kind rate=$rate held: $line" >&2
  else
    echo "# step $kind rate=$rate failed: $line" >&2
    return 1
  fi
}

# sustainable echo|ballots START: the highest stepped rate that held. Steps
# grow ×1.5 until one fails, then halve the gap between the last rate that
# held and the first that failed until it is under a tenth (at most
# $REFINE_STEPS times): the ratio is only as exact as both its rates, and a
# bare ×1.5 step can miss either by a third.
sustainable() {
  local kind=$1 rate=$2 good=0 bad=0 step
  for ((step = 0; step < MAX_STEPS; step++)); do
    if step_holds "$kind" "$rate"; then
      good=$rate
      rate=$((rate * 3 / 2))
    else
      bad=$rate
      [ "$good" -gt 0 ] && break
      rate=$((rate / 3))
      [ "$rate" -ge 1 ] || break
    fi
  done
  for ((step = 0; step < REFINE_STEPS; step++)); do
    [ "$good" -gt 0 ] && [ $((bad - good)) -gt $((good / 10)) ] || break
    rate=$(((good + bad) / 2))
    if step_holds "$kind" "$rate"; then good=$rate; else bad=$rate; fi
  done
  echo "$good"
}

# Where the CPU goes while ballots run at their sustainable rate: the
# server's threads and the machine's busiest processes, half way through.
profile_later() {
  sleep "$(($1 / 2))"
  top -b -n1 -H -p "$SERVER_PID" | sed -n '7,14p' | sed 's/^/# top -H server: /'
  top -b -n1 | sed -n '7,14p' | sed 's/^/# top machine: /'
}

overload() {
  local rate=$1 before line after healthz verdict=PASS reasons=""
  before=$(rss_mb)
  line=$(drive ballots "$((rate * 2))" "$OVERLOAD_S" "$OVERLOAD_CONNECTIONS")
  after=$(rss_mb)
  healthz=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/healthz" || true)
  local rejected=$(($(field s503 "$line") + $(field s429 "$line")))
  fail() { verdict=FAIL; reasons="$reasons $1"; }
  [ "$rejected" -gt 0 ] || fail "no_503_or_429"
  [ "$(field missing_retry_after "$line")" = 0 ] || fail "retry_after_missing"
  [ "$(field unfinished "$line")" = 0 ] || fail "unanswered"
  [ "$(field conn_errors "$line")" = 0 ] || fail "connection_errors"
  [ "$(field other "$line")" = 0 ] || fail "other_statuses"
  awk -v p="$(field rejected_p99_ms "$line")" -v b="$P99_MS" 'BEGIN { exit !(p <= b) }' || fail "slow_rejections"
  awk -v p="$(field p99_ms "$line")" -v b="$OVERLOAD_P99_MS" 'BEGIN { exit !(p <= b) }' || fail "accepted_p99_over_${OVERLOAD_P99_MS}ms"
  [ "$healthz" = 200 ] || fail "healthz_$healthz"
  [ "$((after - before))" -lt 256 ] || fail "rss_grew_$((after - before))MB"
  echo "# overload ballots rate=$((rate * 2)) connections=$OVERLOAD_CONNECTIONS: $line"
  echo "# overload: $verdict$reasons (rejected=$rejected healthz=$healthz rss_mb=$before→$after)"
}

# hold echo|ballots RATE: the figures, RATE for $HOLD_S s. On a shared
# machine a rate that held for 5-s steps can fail for 20 s in a slow minute;
# then 10 % lower, at most $HOLD_RETRIES more times, so that the ratio
# divides rates that held (a hold that never held stays marked NOT held).
# One "# hold" line per try; sets HELD_LINE and HELD_RATE from the last.
hold() {
  local kind=$1 rate=$2 line try
  for ((try = 0; ; try++)); do
    line=$(drive "$kind" "$rate" "$HOLD_S")
    echo "# hold $kind rate=$rate ${HOLD_S}s $(held "$line" && echo held || echo NOT held): $line"
    if held "$line" || [ "$try" -ge "$HOLD_RETRIES" ]; then break; fi
    rate=$((rate * 9 / 10))
  done
  HELD_LINE=$line
  HELD_RATE=$rate
}

bench_one() {
  local db=$1
  echo "# ---- $db: $((COUNTIES * TOWNSHIPS * BRANCHES)) branches, $CODES codes for every ${EVERY}th, bin=$BIN"
  load_round "$db"
  if [ -n "${BENCH_LOAD_ONLY:-}" ]; then
    [ "$db" = postgres ] && { pg_stop; PG_STARTED=""; }
    return
  fi
  start_server
  local rss_start echo_rate ballot_rate echo_line ballot_line profiler
  rss_start=$(rss_mb)
  echo "# server pid=$SERVER_PID port=$PORT --workers 1, rss_mb=$rss_start; p99 bound ${P99_MS} ms, steps ${STEP_S} s, connections: echo $CONNECTIONS, ballots $BALLOT_CONNECTIONS"
  # Warm-up, not counted: the first ballots read cold pages of a big
  # database into the writer's page cache.
  echo "# warm-up ballots rate=$WARMUP_RATE ${WARMUP_S}s: $(drive ballots "$WARMUP_RATE" "$WARMUP_S")"
  echo_rate=$(sustainable echo "$ECHO_START")
  ballot_rate=$(sustainable ballots "$BALLOT_START")
  echo_line="ok_per_s=0"
  if [ "$echo_rate" -gt 0 ]; then
    hold echo "$echo_rate"
    echo_line=$HELD_LINE
  fi
  profile_later "$HOLD_S" >"$DIR/profile.txt" 2>&1 &
  profiler=$!
  ballot_line="ok_per_s=0"
  if [ "$ballot_rate" -gt 0 ]; then
    hold ballots "$ballot_rate"
    ballot_line=$HELD_LINE
    ballot_rate=$HELD_RATE
  fi
  wait "$profiler" || true
  cat "$DIR/profile.txt"
  echo "# server rss_mb=$(rss_mb) after the holds (started at $rss_start)"
  if [ "$ballot_rate" -gt 0 ]; then overload "$ballot_rate"; else echo "# overload: skipped (no sustainable ballot rate)"; fi
  stop_server
  [ "$db" = postgres ] && { pg_stop; PG_STARTED=""; }
  local b t
  b=$(field ok_per_s "$ballot_line")
  t=$(field ok_per_s "$echo_line")
  echo "ratio=$(awk -v b="$b" -v t="$t" 'BEGIN { if (t > 0) printf "%.3f", b / t; else print "na" }') ballots_per_s=$b trivial_post_per_s=$t db=$db"
}

main() {
  local which=${1:-sqlite}
  case "$which" in
    sqlite | postgres) bench_one "$which" ;;
    both) bench_one sqlite && bench_one postgres ;;
    *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
  esac
}

build_driver
if [ -n "${BENCH_LOAD_ONLY:-}" ]; then
  main "$@"
  exit
fi
OUT=$(mktemp)
set +e
main "$@" 2>&1 | tee "$OUT"
status=${PIPESTATUS[0]}
set -e
{
  echo
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC') commit $(git rev-parse --short HEAD) bin=$BIN ($(stat -c '%y' "$BIN" | cut -d. -f1))"
  echo "# bench/ballots/run.sh ${1:-sqlite} BENCH_SIZE=\"$COUNTIES $TOWNSHIPS $BRANCHES $CODES $EVERY\" on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$OUT"
} >>"$RESULTS"
rm -f "$OUT"
exit "$status"

#!/usr/bin/env bash
# The kill test's long form (issue 4 §7, nothing lost): on each database, a
# fresh server with the demo county and an open round, then `cycles` times:
# ballots from 32 concurrent clients, SIGKILL of the server process at a
# random moment, restart on the same database and the checks of
# tests/api/lib/kill-cycles.mjs. Prints a line per cycle and a summary per
# database, and appends them to results.txt with the date, commit and binary.
#
#   XF_BIN=/path/to/xianfeng bench/ballots-kill/run.sh [cycles=20] [sqlite|postgres|both]
#
# XF_KILL_SEED=N replays a run's kill delays. Everything it starts (the
# servers, a throwaway PostgreSQL) it stops; only 127.0.0.1 is used.
set -euo pipefail
cd "$(dirname "$0")/../.."

CYCLES=${1:-20}
WHICH=${2:-both}
BIN=${XF_BIN:-build/dev/app/xianfeng}
RESULTS=bench/ballots-kill/results.txt
case "$WHICH" in sqlite | postgres | both) ;; *)
  echo "usage: $0 [cycles=20] [sqlite|postgres|both]" >&2
  exit 2
  ;;
esac
[[ "$CYCLES" =~ ^[1-9][0-9]*$ ]] || { echo "cycles must be a positive number" >&2; exit 2; }
[ -x "$BIN" ] || { echo "$BIN not found; build it or set XF_BIN" >&2; exit 1; }

# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
trap pg_stop EXIT
[ "$WHICH" = sqlite ] || pg_start >/dev/null

# The binary may come from a work tree ahead of the commit: say so.
COMMIT=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- . || COMMIT="$COMMIT (work tree with uncommitted changes)"
BINARY="$BIN, $(stat -c %s "$BIN") bytes, built $(date -u -r "$BIN" +%FT%TZ), sha256 $(sha256sum "$BIN" | cut -c1-12)"
export XF_BIN="$BIN"
{
  echo "# $(date -u +%FT%TZ) bench/ballots-kill/run.sh $CYCLES $WHICH"
  echo "# commit $COMMIT"
  echo "# binary $BINARY"
  status=0
  node bench/ballots-kill/run.mjs "$CYCLES" "$WHICH" || status=$?
  echo "# exit $status"
  echo
} 2>&1 | tee -a "$RESULTS"
tail -n 2 "$RESULTS" | grep -q '^# exit 0$'

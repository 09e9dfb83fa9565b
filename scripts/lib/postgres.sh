# shellcheck shell=bash
# A throwaway PostgreSQL 15 for tests. Source this file, then:
#   pg_start            # sets XF_TEST_POSTGRES_URL
#   trap pg_stop EXIT   # stops it however the script ends
# The cluster lives in a fresh temporary folder on 127.0.0.1 and a free port,
# with trust authentication on loopback only; nothing outlives pg_stop.
# XF_PG_OPTIONS adds server settings ("-c name=value …"; bench/ballots sets
# the production ones of docs/operations.md).

XF_PG_BIN=${XF_PG_BIN:-/usr/lib/postgresql/15/bin}
XF_PG_DIR=""

# Runs a PostgreSQL server binary as the postgres OS user when we are root:
# initdb and postgres refuse to run as root.
_pg_run() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Asks the kernel for an unused TCP port on loopback.
_pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
  if [ ! -x "$XF_PG_BIN/initdb" ]; then
    echo "pg_start: $XF_PG_BIN/initdb not found (apt-get install postgresql-15)" >&2
    return 1
  fi
  XF_PG_DIR=$(mktemp -d -t xf-pg-XXXXXX) || return 1
  chmod 755 "$XF_PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$XF_PG_DIR"
  local port
  port=$(_pg_free_port) || return 1
  _pg_run "$XF_PG_BIN/initdb" -D "$XF_PG_DIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$XF_PG_DIR/initdb.log" 2>&1 || {
    echo "pg_start: initdb failed, see $XF_PG_DIR/initdb.log" >&2
    cat "$XF_PG_DIR/initdb.log" >&2
    return 1
  }
  # Only loopback TCP, the socket in our own folder, and fsync kept on: the
  # tests check durability, so the server must behave as in production.
  _pg_run "$XF_PG_BIN/pg_ctl" -D "$XF_PG_DIR/data" -l "$XF_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $XF_PG_DIR -c max_connections=200 ${XF_PG_OPTIONS:-}" \
    start >/dev/null || {
    echo "pg_start: server did not start, see $XF_PG_DIR/server.log" >&2
    cat "$XF_PG_DIR/server.log" >&2
    return 1
  }
  local tries=0
  until "$XF_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then
      echo "pg_start: server not ready after 30 s" >&2
      return 1
    fi
    sleep 0.5
  done
  export XF_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "pg_start: PostgreSQL ready at $XF_TEST_POSTGRES_URL"
}

pg_stop() {
  [ -n "$XF_PG_DIR" ] || return 0
  if [ -f "$XF_PG_DIR/data/postmaster.pid" ]; then
    _pg_run "$XF_PG_BIN/pg_ctl" -D "$XF_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 ||
      echo "pg_stop: pg_ctl stop failed; see $XF_PG_DIR/server.log" >&2
  fi
  rm -rf "$XF_PG_DIR"
  XF_PG_DIR=""
  unset XF_TEST_POSTGRES_URL
}

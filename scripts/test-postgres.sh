#!/usr/bin/env bash
# A throw-away PostgreSQL for the history store's tests: Debian's postgresql package (installed with apt-get when
# missing), a fresh cluster in DIR, listening on 127.0.0.1:PORT only (plus a socket inside DIR), trust auth for
# the user tokenbench. Stopped by the postmaster's PID.
#   scripts/test-postgres.sh start DIR PORT   # prints "ready" once it accepts connections
#   scripts/test-postgres.sh stop DIR
#   scripts/test-postgres.sh restart DIR PORT # starts the stopped cluster in DIR again (a store that comes back)
set -euo pipefail
cmd="${1:?usage: test-postgres.sh start DIR PORT | stop DIR}"
dir="${2:?the cluster directory}"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_owner() {
  # initdb and postgres refuse to run as root: run them as the package's postgres user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

launch() {
  local bin="$1" port="$2"
  as_owner "$bin/postgres" -D "$dir/data" -h 127.0.0.1 -p "$port" -k "$dir" -c fsync=off \
    -c full_page_writes=off -c synchronous_commit=off >>"$dir/postgres.log" 2>&1 &
  for _ in $(seq 1 100); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then echo ready; exit 0; fi
    sleep 0.2
  done
  echo "test-postgres: PostgreSQL did not start; its log:" >&2
  cat "$dir/postgres.log" >&2
  exit 1
}

case "$cmd" in
  start)
    port="${3:?a free port}"
    if [ -z "$(bindir)" ]; then
      echo "test-postgres: installing the Debian package postgresql" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    bin="$(bindir)"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U tokenbench --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    launch "$bin" "$port"
    ;;
  restart)
    launch "$(bindir)" "${3:?the port it had}"
    ;;
  stop)
    pidfile="$dir/data/postmaster.pid"
    [ -f "$pidfile" ] || exit 0
    pid="$(head -n 1 "$pidfile")"
    kill -INT "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || exit 0
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    ;;
  *)
    echo "usage: test-postgres.sh start DIR PORT | stop DIR | restart DIR PORT" >&2
    exit 2
    ;;
esac

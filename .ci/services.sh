#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback for the test suites.
#   source .ci/services.sh; services_start; …; services_stop
# Exports M2M_TEST_POSTGRES_URL and M2M_TEST_REDIS_URL. Installs the Debian packages if needed,
# and Chromium for the console's browser tests (test/browser, driven by playwright-core).

PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"

services_install() {
  local missing=()
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

services_start() {
  services_install
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_ROOT=$(mktemp -d)
  chown postgres "$PG_ROOT"
  # PostgreSQL refuses to run as root, hence runuser.
  runuser -u postgres -- "$pgbin/initdb" -D "$PG_ROOT/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_ROOT -c fsync=off" start >/dev/null
  export PG_ROOT PG_BIN="$pgbin"
  export M2M_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

  REDIS_PID_FILE="$PG_ROOT/redis.pid"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$REDIS_PID_FILE" >/dev/null
  export REDIS_PID_FILE
  export M2M_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/15"
  for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
}

services_stop() {
  if [ -n "${REDIS_PID_FILE:-}" ] && [ -f "$REDIS_PID_FILE" ]; then
    kill "$(cat "$REDIS_PID_FILE")" 2>/dev/null || true
  fi
  if [ -n "${PG_ROOT:-}" ] && [ -d "$PG_ROOT/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_ROOT"
  fi
}

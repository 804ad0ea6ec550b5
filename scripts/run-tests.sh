#!/usr/bin/env bash
# Start a throwaway PostgreSQL + PostGIS and Redis on loopback, run the whole suite on SpatiaLite
# (with the browser journeys and the SpatiaLite/PostGIS comparison), then again on PostGIS with
# Redis, and stop everything, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/monenfant-test.XXXXXX)
PG_PORT=${TEST_PG_PORT:-$(( 20000 + RANDOM % 10000 ))}
REDIS_PORT=${TEST_REDIS_PORT:-$(( 30000 + RANDOM % 10000 ))}

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"

POSTGIS_URL="postgis://postgres@127.0.0.1:$PG_PORT/monenfant"
mkdir -p test-artifacts

echo "== Suite sur SpatiaLite (avec les parcours navigateur et la comparaison avec PostGIS)"
POSTGIS_COMPARE_URL="$POSTGIS_URL" DJANGO_ALLOW_ASYNC_UNSAFE=true $PY -m pytest -m "not redis" "$@"

echo "== Suite sur PostGIS avec Redis et un vrai worker Celery"
# TEST_REDIS_PIDFILE lets the Redis-down test stop this server and start it again, same port.
DATABASE_URL="$POSTGIS_URL" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" TEST_REDIS_PIDFILE="$WORK/redis.pid" \
  $PY -m pytest -m "not e2e and not compare" "$@"

echo "== Qualité"
.venv/bin/ruff check .
$PY manage.py makemigrations --check --dry-run >/dev/null

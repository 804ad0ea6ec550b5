#!/usr/bin/env bash
# make test: install what is missing, lint, start a throwaway PostgreSQL + PostGIS and Redis on loopback,
# run the whole suite on SpatiaLite (with the browser journeys and the SpatiaLite/PostGIS comparison),
# then the tests where the backend matters on PostGIS with Redis and a real Celery worker, stop
# everything whatever happens, and print how long each stage took.
# Extra arguments go to both pytest runs (e.g. `make test ARGS="-k search"`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
STARTED=$SECONDS
STAGES=()

stage() {  # stage "label" command...: run it, remember how long it took
  local label=$1 start=$SECONDS status=0
  shift
  echo "== $label"
  "$@" || status=$?
  STAGES+=("$(printf '%-58s %4d s' "$label" $((SECONDS - start)))")
  return $status
}

report() {
  echo
  echo "== Durée de chaque étape"
  printf '%s\n' "${STAGES[@]}"
  printf '%-58s %4d s\n' "Total" $((SECONDS - STARTED))
}

stage "Installation (venv, paquets, fichiers statiques)" make -s test-deps setup

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/monenfant-test.XXXXXX)
PG_PORT=${TEST_PG_PORT:-$(( 20000 + RANDOM % 10000 ))}
REDIS_PORT=${TEST_REDIS_PORT:-$(( 30000 + RANDOM % 10000 ))}

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  status=$?
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
  rm -rf "$WORK"
  report
  exit $status
}
trap cleanup EXIT

start_servers() {
  [ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
}

lint() {
  .venv/bin/ruff check .
  # An empty database of its own: the check needs none, and var/ may not exist yet.
  DATABASE_URL="spatialite:///$WORK/migrations.sqlite3" $PY manage.py makemigrations --check --dry-run >/dev/null
}

# Lint first: a style error or a missing migration is known in seconds, not at the end.
stage "Qualité (ruff, migrations à jour)" lint
stage "Serveurs de test (PostgreSQL + PostGIS, Redis)" start_servers

POSTGIS_URL="postgis://postgres@127.0.0.1:$PG_PORT/monenfant"
mkdir -p test-artifacts

# Two pytest workers (pytest-xdist) on these 2 cores: TEST_WORKERS=1 for one process.
WORKERS=${TEST_WORKERS:-2}
XDIST=()
# worksteal: a worker that runs out takes tests queued on the other (the browser audits are long).
[ "$WORKERS" -gt 1 ] && XDIST=(-n "$WORKERS" --dist worksteal)

# TEST_FAKETIME=+365d runs the tests (not the servers) with the clock a year ahead (Debian's faketime).
PYTEST=($PY -m pytest)
[ -n "${TEST_FAKETIME:-}" ] && PYTEST=(faketime -f "$TEST_FAKETIME" "${PYTEST[@]}")

stage "Suite sur SpatiaLite, parcours navigateur et comparaison PostGIS" \
  env POSTGIS_COMPARE_URL="$POSTGIS_URL" DJANGO_ALLOW_ASYNC_UNSAFE=true \
  "${PYTEST[@]}" -m "not redis" "${XDIST[@]}" --durations=20 "$@"

# The tests where the backend matters, again on PostGIS; Redis is left out here: its tests share one
# server (the Redis-down test stops it), so they run after, in one process.
stage "Suite sur PostGIS (où la base compte)" \
  env DATABASE_URL="$POSTGIS_URL" DJANGO_ALLOW_ASYNC_UNSAFE=true \
  "${PYTEST[@]}" -m "postgis and not redis" "${XDIST[@]}" --durations=20 "$@"

# TEST_REDIS_PIDFILE lets the Redis-down test stop this server and start it again, same port.
stage "Redis et un vrai worker Celery, sur PostGIS" \
  env DATABASE_URL="$POSTGIS_URL" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" TEST_REDIS_PIDFILE="$WORK/redis.pid" \
  "${PYTEST[@]}" -m redis --durations=10 "$@"

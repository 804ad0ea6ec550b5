#!/usr/bin/env bash
# The production topology on this machine, on loopback (make prod, make prod-stop; docs/deploy.md):
#   nginx (TLS, self-signed) :8443 → gunicorn :8001 and :8002 → PostgreSQL + PostGIS, Redis;
#   one Celery worker, one beat; a local SMTP sink. Every service runs the files of deploy/ with the
#   command lines of its systemd unit; its state lives under var/prod/ (PROD_DIR).
#
#   scripts/prod.sh start                 install what is missing, start everything, load the data
#   scripts/prod.sh stop                  stop everything (the data stays for the next start)
#   scripts/prod.sh status                what runs
#   scripts/prod.sh donnees-nationales    300,000 fiches and 1,000,000 demandes, for docs/benchmark.md
#   scripts/prod.sh start-one|stop-one SERVICE   one of: pg redis smtp web1 web2 worker beat nginx
#   scripts/prod.sh env                   the environment the services run with (source it)
#   scripts/prod.sh check-config          render deploy/'s files and have nginx and gunicorn check them
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
PROD_DIR=${PROD_DIR:-$ROOT/var/prod}
HTTPS_PORT=${PROD_HTTPS_PORT:-8443}
HTTP_PORT=${PROD_HTTP_PORT:-8080}
PG_PORT=${PROD_PG_PORT:-25433}
REDIS_PORT=${PROD_REDIS_PORT:-26380}
SMTP_PORT=${PROD_SMTP_PORT:-2526}
WEB_PORTS=(8001 8002)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
APT_PROD_PACKAGES="nginx-light postgresql-15-postgis-3 redis-server openssl wrk"

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
say() { echo "== $*"; }

write_env() {
  mkdir -p "$PROD_DIR"
  [ -f "$PROD_DIR/secret_key" ] || $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > "$PROD_DIR/secret_key"
  chmod 600 "$PROD_DIR/secret_key"
  # The variables of deploy/env.example, with this machine's values.
  cat > "$PROD_DIR/env" <<EOF
SECRET_KEY=$(cat "$PROD_DIR/secret_key")
DEBUG=false
ALLOWED_HOSTS=localhost,127.0.0.1
CSRF_TRUSTED_ORIGINS=https://localhost:$HTTPS_PORT
SITE_URL=https://localhost:$HTTPS_PORT
SITE_HTTPS=true
SECURE_HSTS_SECONDS=0
DATABASE_URL=postgis://postgres@127.0.0.1:$PG_PORT/monenfant
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
EMAIL_URL=smtp://127.0.0.1:$SMTP_PORT
TRUSTED_PROXIES=127.0.0.1
GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
GEOCODER_ENABLED=false
SAUVEGARDES_DIR=$PROD_DIR/sauvegardes
DONNEES_OUVERTES_DIR=$PROD_DIR/donnees-ouvertes
EOF
}

load_env() { write_env; set -a; . "$PROD_DIR/env"; set +a; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_pg() {
  if [ ! -d "$PROD_DIR/pg/data" ]; then
    mkdir -p "$PROD_DIR/pg"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PROD_DIR/pg"
    as_pg "$PG_BIN/initdb" -D "$PROD_DIR/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PROD_DIR/pg/data" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$PROD_DIR/pg/data" -l "$PROD_DIR/pg/log" -w -o \
      "-p $PG_PORT -k $PROD_DIR/pg -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=100" \
      start >/dev/null
  fi
  as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='monenfant'" | grep -q 1 \
    || as_pg createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres monenfant
}
stop_pg() { as_pg "$PG_BIN/pg_ctl" -D "$PROD_DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true; }

# Persistence on (append-only file): tasks queued before a restart of Redis are still there after it.
start_redis() {
  mkdir -p "$PROD_DIR/redis"
  pid_alive "$PROD_DIR/redis.pid" || redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$PROD_DIR/redis" \
    --appendonly yes --save '' --daemonize yes --pidfile "$PROD_DIR/redis.pid" --logfile "$PROD_DIR/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
}
stop_redis() { redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; rm -f "$PROD_DIR/redis.pid"; }

background() {  # background NAME command...: a service with its pid file and log
  local name=$1; shift
  pid_alive "$PROD_DIR/$name.pid" && return
  setsid "$@" >>"$PROD_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$PROD_DIR/$name.pid"
}
stop_background() {  # TERM the process group, KILL what is left after 20 s
  local pidfile=$PROD_DIR/$1.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

start_smtp() { mkdir -p "$PROD_DIR/courriels"; background smtp python3 "$ROOT/scripts/smtp_sink.py" --port "$SMTP_PORT" --dossier "$PROD_DIR/courriels"; }
# The command lines of deploy/systemd/monenfant-web@.service, -worker and -beat.
start_web() { GUNICORN_BIND=127.0.0.1:${WEB_PORTS[$1-1]} background "web$1" "$ROOT/.venv/bin/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py" monenfant.wsgi; }
start_worker() { background worker "$ROOT/.venv/bin/celery" -A monenfant worker --concurrency 2 --loglevel INFO --without-gossip --without-mingle; }
start_beat() { background beat "$ROOT/.venv/bin/celery" -A monenfant beat --loglevel INFO --schedule "$PROD_DIR/celerybeat-schedule"; }

certificate() {
  mkdir -p "$PROD_DIR/tls"
  [ -f "$PROD_DIR/tls/cert.pem" ] && return
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$PROD_DIR/tls/key.pem" -out "$PROD_DIR/tls/cert.pem" 2>/dev/null
  chmod 600 "$PROD_DIR/tls/key.pem"
}

render_nginx() {
  local dir=$PROD_DIR/nginx servers=""
  mkdir -p "$dir/tmp" "$dir/erreurs"
  for port in "${WEB_PORTS[@]}"; do servers+="server 127.0.0.1:$port max_fails=1 fail_timeout=5s; "; done
  sed -e "s#@ROOT@#$ROOT#g" -e "s#@HTTPS_PORT@#$HTTPS_PORT#g" -e "s#@HTTP_PORT@#$HTTP_PORT#g" \
      -e "s#@SERVER_NAME@#localhost#g" -e "s#@CERT@#$PROD_DIR/tls/cert.pem#g" -e "s#@KEY@#$PROD_DIR/tls/key.pem#g" \
      -e "s#@APP_SERVERS@#$servers#g" -e "s#@ERROR_ROOT@#$dir/erreurs#g" -e "s#@ACCESS_LOG@#$dir/access.log#g" \
      deploy/nginx/monenfant.conf > "$dir/monenfant.conf"
  # The main file of a Debian nginx, reduced to what this topology needs (the site is the file above).
  cat > "$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
user $(id -un);
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/monenfant.conf;
}
EOF
  nginx -t -q -c "$dir/nginx.conf" -p "$dir"
}

start_nginx() {
  local dir=$PROD_DIR/nginx
  render_nginx
  $PY manage.py shell -v0 -c "from monenfant.pages_erreur import ecrire_page_indisponible as e; e('$dir/erreurs')"
  if pid_alive "$dir/nginx.pid"; then nginx -s reload -c "$dir/nginx.conf" -p "$dir"; else nginx -c "$dir/nginx.conf" -p "$dir"; fi
}
stop_nginx() { pid_alive "$PROD_DIR/nginx/nginx.pid" && nginx -s quit -c "$PROD_DIR/nginx/nginx.conf" -p "$PROD_DIR/nginx" 2>/dev/null; sleep 0.3; true; }

load_data() {
  $PY manage.py migrate --noinput -v0
  # Reference data once; demo data is idempotent.
  $PY manage.py shell -v0 -c "from structures.models import Commune; raise SystemExit(0 if Commune.objects.exists() else 1)" \
    || $PY manage.py import_geographie
  $PY manage.py load_demo
  $PY manage.py load_demo_accounts
  $PY manage.py load_demo_guichets
  $PY manage.py recapitulatif_besoins --tout >/dev/null
}

wait_ready() {
  for _ in $(seq 120); do
    if curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS_PORT/sante/pret/" | grep -q 200; then
      say "Prêt : https://localhost:$HTTPS_PORT/ (certificat auto-signé), courriels dans $PROD_DIR/courriels"
      return
    fi
    sleep 0.5
  done
  echo "Le site ne répond pas prêt : voir $PROD_DIR/*.log"; curl -sk "https://localhost:$HTTPS_PORT/sante/pret/"; return 1
}

start_one() {
  case $1 in
    pg) start_pg ;; redis) start_redis ;; smtp) start_smtp ;; web1) start_web 1 ;; web2) start_web 2 ;;
    worker) start_worker ;; beat) start_beat ;; nginx) start_nginx ;;
    *) echo "service inconnu : $1"; exit 2 ;;
  esac
}
stop_one() {
  case $1 in
    pg) stop_pg ;; redis) stop_redis ;; nginx) stop_nginx ;; smtp|web1|web2|worker|beat) stop_background "$1" ;;
    *) echo "service inconnu : $1"; exit 2 ;;
  esac
}

case ${1:-start} in
  start)
    bash scripts/apt-ensure.sh $APT_PROD_PACKAGES
    load_env
    say "PostgreSQL + PostGIS (:$PG_PORT), Redis (:$REDIS_PORT), SMTP (:$SMTP_PORT)"
    start_pg; start_redis; start_smtp
    say "Migrations, référentiels, données de démonstration"
    load_data
    certificate
    say "gunicorn (:${WEB_PORTS[*]}), Celery (worker, beat), nginx (:$HTTPS_PORT)"
    start_web 1; start_web 2; start_worker; start_beat
    start_nginx
    wait_ready ;;
  stop)
    load_env
    for s in nginx beat worker web2 web1 smtp; do stop_one $s; done
    stop_redis; stop_pg
    say "Arrêté (les données restent dans $PROD_DIR)" ;;
  status)
    for s in smtp web1 web2 worker beat; do printf '%-7s %s\n' "$s" "$(pid_alive "$PROD_DIR/$s.pid" && echo actif || echo arrêté)"; done
    printf '%-7s %s\n' nginx "$(pid_alive "$PROD_DIR/nginx/nginx.pid" && echo actif || echo arrêté)"
    printf '%-7s %s\n' redis "$(pid_alive "$PROD_DIR/redis.pid" && echo actif || echo arrêté)"
    printf '%-7s %s\n' pg "$(as_pg "$PG_BIN/pg_ctl" -D "$PROD_DIR/pg/data" status >/dev/null 2>&1 && echo actif || echo arrêté)" ;;
  start-one) load_env; start_one "$2" ;;
  stop-one) load_env; stop_one "$2" ;;
  env) write_env; cat "$PROD_DIR/env" ;;
  # The files of deploy/ as the services read them, checked by nginx and gunicorn themselves (a test runs it).
  check-config)
    load_env; certificate; render_nginx
    GUNICORN_BIND=127.0.0.1:${WEB_PORTS[0]} "$ROOT/.venv/bin/gunicorn" --check-config -c "$ROOT/deploy/gunicorn.conf.py" monenfant.wsgi ;;
  donnees-nationales)
    load_env
    $PY manage.py generate_national
    $PY manage.py benchmark_tableaux --requetes 0 ;;
  *) echo "usage : $0 start|stop|status|start-one S|stop-one S|env|donnees-nationales"; exit 2 ;;
esac

#!/usr/bin/env bash
# make prod-check: the faults of docs/prod-check.md, one after the other, on the topology of `make prod`
# (started first if it is not running). Prints the table and writes it to docs/prod-check.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PROD_DIR=${PROD_DIR:-$PWD/var/prod}
etat=$(bash scripts/prod.sh status)
grep -q "^nginx *actif" <<<"$etat" || bash scripts/prod.sh start
set -a; . "$PROD_DIR/env"; set +a
export PROD_DIR
# This process is a browser of the site: it trusts the topology's self-signed certificate.
export SSL_CERT_FILE=$PROD_DIR/tls/cert.pem
exec .venv/bin/python manage.py verifier_production --rapport "${RAPPORT:-docs/prod-check.md}" "$@"

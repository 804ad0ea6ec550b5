#!/usr/bin/env bash
# make prod-benchmark: the load figures of docs/benchmark.md, on the topology of `make prod` filled with
# `make prod-donnees` (300,000 fiches, 1,000,000 demandes). Everything goes through nginx over TLS, like
# browsers and partners: the search (API and page) at saturation and at a steady 100 req/s, 50 families
# sending the form with 3 s per page and without pause, then the dashboards of the CAF and the CNAF.
set -euo pipefail
cd "$(dirname "$0")/.."
PROD_DIR=${PROD_DIR:-$PWD/var/prod}
set -a; . "$PROD_DIR/env"; set +a
export SSL_CERT_FILE=$PROD_DIR/tls/cert.pem
PY=.venv/bin/python
BASE=https://localhost:${PROD_HTTPS_PORT:-8443}
SMTP_PORT=${PROD_SMTP_PORT:-2526}

curl -sf --cacert "$SSL_CERT_FILE" -o /dev/null "$BASE/sante/pret/" || { echo "Lancez d'abord make prod (et make prod-donnees)."; exit 1; }

echo "== Recherche (wrk, 32 connexions, 2 000 plus grandes communes, 10 km)"
$PY manage.py benchmark_charge --cible "$BASE" --cas accueil,api-eaje,api-assmat,page-eaje,page-assmat \
  --duree "${DUREE:-20}" --chauffe 5 --debit 100

# benchmark_demandes counts the emails itself, on the sink's port: the sink steps aside meanwhile.
bash scripts/prod.sh stop-one smtp
trap 'bash scripts/prod.sh start-one smtp' EXIT
echo "== 50 familles, 3 s par page"
$PY manage.py benchmark_demandes --url "$BASE" --familles 50 --pause 3 --duree "${DUREE_FAMILLES:-120}" --smtp "$SMTP_PORT" --attente 300
echo "== 50 familles sans pause"
$PY manage.py benchmark_demandes --url "$BASE" --familles 50 --duree 60 --smtp "$SMTP_PORT" --attente 300

echo "== Tableaux de bord de la CAF et de la CNAF (dans le processus, sur la même base)"
$PY manage.py benchmark_tableaux --garder --requetes "${REQUETES:-40}"

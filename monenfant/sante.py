"""Health probes for the load balancer and the monitoring: `/sante/` and `/sante/pret/`.

- `/sante/`: the process answers (200 "ok"); nothing else is touched, not even the database.
- `/sante/pret/`: this server can serve: the database answers, Redis answers when REDIS_URL is set,
  every migration is applied, and the outbox is not backed up (no email waiting more than
  OUTBOX_DELAY without having failed for good). 200 {"statut": "pret", ...} or 503 naming, in French,
  what fails. A query or two per check; no personal data, no error text (it could name a host).

Served by a middleware placed before SecurityMiddleware and CommonMiddleware: a load balancer probes
over plain HTTP on the app port, often with its own address as Host (not in ALLOWED_HOSTS), and must
get neither a redirect to https nor a 400. Nothing here reads a session, a user or a query string;
no rate limit and no login step apply. Responses are never cached.
"""

import datetime
import functools
import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from notifications.models import Notification

logger = logging.getLogger(__name__)

OUTBOX_DELAY = datetime.timedelta(minutes=15)
REDIS_TIMEOUT = 1  # seconds: a probe must answer before the load balancer gives up
OK = "ok"
NON_VERIFIEE = "non vérifiée : la base de données ne répond pas"


def vivant(request):
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


def _base_de_donnees() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


@functools.lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    # One client (and its connection pool) per process, with short timeouts: a Redis that hangs fails the probe.
    return redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)


def _redis() -> str:
    _redis_client(settings.REDIS_URL).ping()
    return OK


def _migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return OK if not plan else f"{len(plan)} migration(s) non appliquée(s)"


def _boite_d_envoi() -> str:
    # A row that failed for good (echec_le) waits for a CAF agent, not for a worker: it does not count.
    waiting = Notification.objects.filter(
        envoyee_le__isnull=True, echec_le__isnull=True, cree_le__lt=timezone.now() - OUTBOX_DELAY
    )
    return OK if not waiting.exists() else "des courriels attendent leur envoi depuis plus de 15 minutes"


def _run(name: str, check, failure: str, errors: tuple[type[Exception], ...]) -> str:
    try:
        return check()
    except errors as error:
        logger.warning("Sonde prête : %s en échec (%s)", name, error.__class__.__name__)
        return failure


def verifications() -> dict[str, str]:
    """Each check's result: "ok", or what fails in French."""
    results = {"base_de_donnees": _run("base de données", _base_de_donnees, "ne répond pas", (DatabaseError,))}
    if settings.REDIS_URL:
        results["redis"] = _run("Redis", _redis, "ne répond pas", (redis.RedisError, OSError))
    if results["base_de_donnees"] == OK:
        results["migrations"] = _run("migrations", _migrations, "illisibles", (DatabaseError,))
        results["boite_d_envoi"] = _run("boîte d'envoi", _boite_d_envoi, "illisible", (DatabaseError,))
    else:
        results["migrations"] = results["boite_d_envoi"] = NON_VERIFIEE
    return results


LIBELLES = {
    "base_de_donnees": "base de données",
    "redis": "Redis",
    "migrations": "migrations",
    "boite_d_envoi": "boîte d'envoi des courriels",
}


def pret(request):
    results = verifications()
    echecs = [f"{LIBELLES[name]} : {result}" for name, result in results.items() if result != OK]
    body = {"statut": "pret" if not echecs else "pas pret", "verifications": results}
    if echecs:
        body["echecs"] = echecs
    response = JsonResponse(body, status=503 if echecs else 200, json_dumps_params={"ensure_ascii": False})
    add_never_cache_headers(response)
    # Said once by the warning above and the access line; not again as an error of django.request at
    # every probe (nor as an error report each time: it is not a bug of the site).
    response._has_been_logged = True
    return response


PROBES = {"/sante/": vivant, "/sante/pret/": pret}


class SondesMiddleware:
    """Answers the probes before the host check, the https redirect, sessions and the login steps."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info if request.path_info.endswith("/") else request.path_info + "/")
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request)

"""Usage counters of the site: searches, fiche views, simulations, demandes, guide pages, per day.

Nobody's data: no address, no cookie, no third party. A count is a day, an event and what it is
about (a département, a rubrique, a fiche, a guide page), plus one.

Production (REDIS_URL): a count is one HINCRBY in a Redis hash, so a request never waits for the
database; `compteurs.tasks.flush_usage` moves the hash into the table every minute. Embedded
default, or Redis not answering: the count goes straight to the database (no count lost).
A count never raises into the request.
"""

import json
import logging

import redis
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from . import counters

BUFFER_KEY = "monenfant:usage:compteurs"
# The buffer being moved: renamed first, deleted once its counts are committed.
PROCESSING_KEY = "monenfant:usage:compteurs:en-cours"
LOCK_KEY = "monenfant:usage:flush"
# A count gives Redis a quarter of a second, then writes to the database instead.
COUNT_TIMEOUT = 0.25
FLUSH_TIMEOUT = 30

logger = logging.getLogger(__name__)
_clients: dict[tuple[str, float], redis.Redis] = {}


def _redis(timeout: float) -> redis.Redis | None:
    url = settings.REDIS_URL
    if not url:
        return None
    client = _clients.get((url, timeout))
    if client is None:
        # No retry: an unreachable Redis costs one timeout, then the database takes the count.
        client = _clients[(url, timeout)] = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0),
        )
    return client


def _table():
    """The counters' table (settings.COMPTEURS_USAGE_MODEL): a day, an event, a département, a rubrique,
    a fiche, a key, and `nombre`. The fiche is a relation: a fiche deleted takes its counts with it."""
    return apps.get_model(settings.COMPTEURS_USAGE_MODEL)


def _pk(value):
    return getattr(value, "pk", value)


def _field(lookup: dict) -> str:
    return json.dumps([lookup["jour"].isoformat(), lookup["evenement"], lookup["departement_id"],
                       lookup["rubrique"], lookup["structure_id"], lookup["cle"]])


def _lookup(field: bytes | str) -> dict:
    jour, evenement, departement, rubrique, structure, cle = json.loads(field)
    return {"jour": jour, "evenement": evenement, "departement_id": departement, "rubrique": rubrique,
            "structure_id": structure, "cle": cle}


def count(evenement: str, *, departement=None, rubrique: str = "", structure=None, cle: str = "") -> None:
    """One more `evenement` today. `departement` and `structure` are instances or keys."""
    try:
        lookup = {
            "jour": timezone.localdate(), "evenement": str(evenement), "departement_id": _pk(departement),
            "rubrique": rubrique or "", "structure_id": _pk(structure), "cle": (cle or "")[:100],
        }
        client = _redis(COUNT_TIMEOUT)
        if client is not None:
            try:
                client.hincrby(BUFFER_KEY, _field(lookup), 1)
                return
            except redis.RedisError:
                logger.warning("Redis ne répond pas : compteur d'usage écrit directement en base", exc_info=True)
        counters.add(_table(), lookup)
    except Exception:
        # Counting is never worth a family's page.
        logger.exception("Compteur d'usage non enregistré (%s)", evenement)


def flush() -> int:
    """Move the Redis buffer into the database; returns how many counts were taken from it.

    RENAME is atomic: counts made during the flush go to a fresh buffer. A processing key left by a
    crashed flush is taken first. A crash between the commit and the DELETE would count that batch
    twice (at least once, never lost).
    """
    client = _redis(FLUSH_TIMEOUT)
    if client is None:
        return 0
    lock = client.lock(LOCK_KEY, timeout=10 * 60, blocking=False)
    if not lock.acquire():
        return 0  # another flush is running
    moved = 0
    try:
        for _ in range(2):  # a leftover batch, then the current buffer
            if not client.exists(PROCESSING_KEY):
                try:
                    client.rename(BUFFER_KEY, PROCESSING_KEY)
                except redis.ResponseError:
                    break  # no buffer: nothing counted since the last flush
            counts = {field: int(nombre) for field, nombre in client.hgetall(PROCESSING_KEY).items()}
            lookups = [(_lookup(field), nombre) for field, nombre in counts.items()]
            table = _table()
            fiches_table = table._meta.get_field("structure").related_model
            with transaction.atomic():
                # A fiche deleted since it was viewed takes its counts with it (CASCADE), buffered ones too.
                fiches = {lookup["structure_id"] for lookup, _ in lookups} - {None}
                existing = set(fiches_table.objects.filter(pk__in=fiches).values_list("pk", flat=True))
                for lookup, nombre in lookups:
                    if lookup["structure_id"] is None or lookup["structure_id"] in existing:
                        counters.add(table, lookup, nombre)
            client.delete(PROCESSING_KEY)
            moved += sum(counts.values())
    finally:
        lock.release()
    return moved

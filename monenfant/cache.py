"""The Redis cache, for a site that must go on when Redis stops.

The cache holds what can be lost: rate-limit counters, cached fragments. When Redis does not answer, a
read misses, a write is dropped and a counter cannot be read (django-ratelimit then lets the request
through: RATELIMIT_FAIL_OPEN). One warning a minute says so; the
readiness probe (/sante/pret/) reports Redis down.
"""

import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
_AVERTI_TOUTES = 60.0  # seconds between two warnings
_dernier_avertissement = 0.0


def _avertir(operation: str, error: Exception) -> None:
    global _dernier_avertissement
    now = time.monotonic()
    if now - _dernier_avertissement >= _AVERTI_TOUTES:
        _dernier_avertissement = now
        logger.warning("Cache Redis indisponible (%s : %s) : le site continue sans lui", operation, type(error).__name__)


def _tolerant(name: str, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except redis.RedisError as error:
            _avertir(name, error)
            if isinstance(fallback, type) and issubclass(fallback, Exception):
                raise fallback(f"cache indisponible ({name})") from error
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", lambda keys, version=None: {})
    has_key = _tolerant("has_key", False)
    add = _tolerant("add", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    # Django's contract for a key it cannot increment: ValueError.
    incr = _tolerant("incr", ValueError)
    decr = _tolerant("decr", ValueError)

"""Rate limits (django-ratelimit) that never stop the site: when their counters' cache is down, let through."""

import logging

from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def too_many(request, *, group: str, key, rate: str) -> bool:
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    except RedisError:
        logger.warning("Cache indisponible : limite « %s » non appliquée", group, exc_info=True)
        return False

from celery import shared_task

from . import usage


@shared_task
def flush_usage() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): the usage counts buffered in Redis go to the database."""
    return usage.flush()

from celery import shared_task

from . import usage


@shared_task
def flush_usage() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): the usage counts buffered in Redis go to the database."""
    return usage.flush()


# Its name when the counters lived in structures: a message queued under it is still understood.
@shared_task(name="structures.tasks.flush_usage")
def flush_usage_ancien_nom() -> int:
    return usage.flush()

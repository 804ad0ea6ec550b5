from celery import shared_task

from . import conventions
from .services import snapshot_couverture as write_snapshot


@shared_task
def end_conventions() -> dict:
    """Daily: reminders a month before, then closes what ends today (conventions by notice, contracts)."""
    return conventions.apply_ends()


@shared_task
def snapshot_couverture() -> int:
    """Daily: keeps this month's coverage snapshot up to date (the month's last run is the one that stays)."""
    return write_snapshot()

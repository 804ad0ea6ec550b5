from celery import shared_task

from . import conventions


@shared_task
def end_conventions() -> dict:
    """Daily: reminders a month before, then closes what ends today (conventions by notice, contracts)."""
    return conventions.apply_ends()

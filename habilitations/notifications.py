"""The outbox: a notification is a row written with the event; Celery sends it after the commit."""

import logging

from django.db import transaction
from django.template.loader import render_to_string

from .workflow import Document, Notification

logger = logging.getLogger(__name__)


def notify(*, to: list[str], sujet: str, template: str, context: dict, document: Document | None = None) -> Notification:
    notification = Notification.objects.create(
        destinataires=",".join(sorted(set(to))), sujet=sujet,
        corps=render_to_string(template, context), document=document,
    )

    def enqueue():
        from .tasks import send_notification

        try:
            send_notification.delay(notification.pk)
        except Exception:  # noqa: BLE001 (broker down, SMTP down in-process: the row stays, flush_outbox resends)
            logger.warning("Notification %s en attente : envoi reporté", notification.pk, exc_info=True)

    transaction.on_commit(enqueue)
    return notification

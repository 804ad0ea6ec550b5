"""Sending the outbox: one row per task, retried with backoff; beat queues again what was left."""

import datetime

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import Notification


# No result to wait for: sending it must not subscribe to Redis (which blocks for 20 s when Redis is down).
@shared_task(bind=True, max_retries=8, default_retry_delay=60, ignore_result=True)
def send_notification(self, notification_id: int) -> bool:
    """Send one outbox row; idempotent (a sent row is never sent twice), retried with backoff."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update(of=("self",)).filter(
            pk=notification_id, envoyee_le__isnull=True
        ).first()
        if notification is None:
            return False
        message = EmailMessage(notification.sujet, notification.corps, None, notification.destinataires.split(","))
        if notification.piece_jointe_nom:
            message.attach(notification.piece_jointe_nom, bytes(notification.piece_jointe),
                           notification.piece_jointe_type or "application/octet-stream")
        try:
            message.send()
            error = None
        except Exception as exc:  # noqa: BLE001 (SMTP errors of every kind)
            error = exc
        if error is None:
            notification.envoyee_le = timezone.now()
        notification.tentatives += 1
        notification.derniere_erreur = "" if error is None else str(error)[:2000]
        notification.save(update_fields=["envoyee_le", "tentatives", "derniere_erreur"])
    if error is not None:
        # Outside the transaction, so that the attempt stays recorded.
        raise self.retry(exc=error, countdown=60 * 2 ** min(notification.tentatives, 6))
    return True


@shared_task
def flush_outbox() -> int:
    """Queue again what was not sent (broker down when the event happened, worker lost…)."""
    pending = Notification.objects.filter(envoyee_le__isnull=True, cree_le__lt=timezone.now() - datetime.timedelta(minutes=2))
    ids = list(pending.values_list("pk", flat=True)[:500])
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


# The names these tasks had when the outbox lived in habilitations: a message queued under them
# before a deployment is still understood.
@shared_task(name="habilitations.tasks.send_notification", ignore_result=True)
def send_notification_ancien_nom(notification_id: int) -> None:
    send_notification.delay(notification_id)


@shared_task(name="habilitations.tasks.flush_outbox")
def flush_outbox_ancien_nom() -> int:
    return flush_outbox()

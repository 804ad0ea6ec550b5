"""Sending the outbox: one row per task, retried with backoff; beat queues again what was left.

A row is sent at most once, except in one window: a worker that dies after the SMTP server accepted the
message and before the row is marked sent. The row's lease (envoi_commence_le) then runs out and the next
attempt sends it again. Everything else is never sent twice: a worker takes a row by setting its lease in
one UPDATE, talks SMTP outside any transaction or lock (EMAIL_TIMEOUT bounds each exchange), then marks it.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass
from email.utils import parseaddr

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

# The task's own limits; the lease outlasts the hard one, so that a row is never taken while a worker
# may still be talking to the relay.
LIMITE_DOUCE, LIMITE_DURE = 120, 150  # seconds
BAIL = datetime.timedelta(minutes=3)
MAX_RETRIES = 8
DELAI_MAX = 60 * 2**6  # the longest wait before a retry (64 min): below the broker's visibility timeout
CORPS_EFFACE = "(Contenu effacé après l'envoi : ce courriel contenait un lien personnel.)"


@dataclass(frozen=True)
class Envoi:
    envoye: bool
    erreur: Exception | None = None
    definitif: bool = False  # the relay refused it for good: no retry


def _libre(now: datetime.datetime) -> Q:
    return Q(envoyee_le__isnull=True, echec_le__isnull=True) & (
        Q(envoi_commence_le__isnull=True) | Q(envoi_commence_le__lt=now - BAIL))


def delai(tentatives: int) -> int:
    """Seconds before the next attempt once `tentatives` have failed: 1, 2, 4 … 64 minutes."""
    return min(60 * 2 ** max(tentatives - 1, 0), DELAI_MAX)


def definitif(error: Exception) -> bool:
    """A 5xx answer (unknown mailbox, refused…) will not change by retrying; timeouts and 4xx may."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def envoyer(notification_id: int) -> Envoi | None:
    """Take the row (its lease), send it, mark it. None when it is not to be sent (sent, failed for good,
    or another worker's lease runs)."""
    now = timezone.now()
    if not Notification.objects.filter(_libre(now), pk=notification_id).update(
            envoi_commence_le=now, tentatives=F("tentatives") + 1):
        return None
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMessage(notification.sujet, notification.corps, None, notification.destinataires.split(","),
                           headers={"Message-ID": message_id(notification)})
    if notification.piece_jointe_nom:
        message.attach(notification.piece_jointe_nom, bytes(notification.piece_jointe),
                       notification.piece_jointe_type or "application/octet-stream")
    try:
        message.send()
    except (Exception, SoftTimeLimitExceeded) as error:  # noqa: BLE001 (SMTP errors of every kind, time limit)
        envoi = Envoi(envoye=False, erreur=error, definitif=definitif(error))
        Notification.objects.filter(pk=notification_id).update(
            envoi_commence_le=None, derniere_erreur=str(error)[:2000],
            prochain_essai_le=now + datetime.timedelta(seconds=delai(notification.tentatives)))
        logger.warning("Courriel %s non envoyé (tentative %s) : %s", notification_id, notification.tentatives,
                       type(error).__name__)
        return envoi
    done = {"envoyee_le": timezone.now(), "envoi_commence_le": None, "prochain_essai_le": None, "derniere_erreur": ""}
    if notification.secret:
        done["corps"] = CORPS_EFFACE
    Notification.objects.filter(pk=notification_id).update(**done)
    return Envoi(envoye=True)


def message_id(notification: Notification) -> str:
    """The same for every attempt of one row: a mail server (or the count of docs/prod-check.md) that sees
    it twice knows it is the same email."""
    domaine = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "monenfant.localhost"
    return f"<notification-{notification.pk}.{int(notification.cree_le.timestamp())}@{domaine}>"


def abandonner(notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, envoyee_le__isnull=True).update(echec_le=timezone.now())


# acks_late: a message whose worker died is delivered again; the lease keeps it from being sent twice.
@shared_task(bind=True, max_retries=MAX_RETRIES, ignore_result=True, acks_late=True,
             soft_time_limit=LIMITE_DOUCE, time_limit=LIMITE_DURE)
def send_notification(self, notification_id: int) -> bool:
    envoi = envoyer(notification_id)
    if envoi is None or envoi.envoye:
        return bool(envoi)
    if envoi.definitif or self.request.retries >= self.max_retries:
        abandonner(notification_id)
        return False
    raise self.retry(exc=envoi.erreur, countdown=delai(self.request.retries + 1))


@shared_task(soft_time_limit=LIMITE_DOUCE, time_limit=LIMITE_DURE)
def flush_outbox() -> int:
    """Queue again what was not sent (broker down when the event happened, worker lost, a retry the broker
    lost): rows older than two minutes, with no lease running and no retry due within the last two minutes
    (the broker's own retry comes first; queuing it again would undo the backoff)."""
    now = timezone.now()
    marge = now - datetime.timedelta(minutes=2)
    pending = Notification.objects.filter(_libre(now), Q(prochain_essai_le__isnull=True) | Q(prochain_essai_le__lt=marge),
                                          cree_le__lt=marge)
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:500])
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

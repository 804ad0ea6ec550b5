"""notify(...): an email is a row written with the event; Celery sends it after the commit.

What each app writes, and to whom, is that app's business (habilitations.services says what its
emails may hold); the outbox only keeps and sends.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string

from .models import Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PieceJointe:
    nom: str
    contenu: bytes
    type: str = "application/pdf"


def notify(*, to: list[str], sujet: str, template: str, context: dict, piece_jointe: PieceJointe | None = None,
           objet: str = "", territoire: str = "", secret: bool = False) -> Notification:
    """Every email of the site goes through here. `objet` names what the email is about when it carries
    someone's data (its owner deletes it with it); `territoire`, the département whose CAF reads its failures
    in the back office; `secret`, a body with a personal link, blanked once sent."""
    notification = Notification.objects.create(
        destinataires=",".join(sorted(set(to))), sujet=sujet, corps=render_to_string(template, context), objet=objet,
        territoire=territoire or "", secret=secret,
        **({} if piece_jointe is None else {
            "piece_jointe_nom": piece_jointe.nom, "piece_jointe_type": piece_jointe.type,
            "piece_jointe": bytes(piece_jointe.contenu),
        }),
    )

    def enqueue():
        from .tasks import send_notification

        try:
            send_notification.delay(notification.pk)
        except Exception:  # noqa: BLE001 (broker down, SMTP down in-process: the row stays, flush_outbox resends)
            logger.warning("Notification %s en attente : envoi reporté", notification.pk, exc_info=True)

    transaction.on_commit(enqueue)
    return notification

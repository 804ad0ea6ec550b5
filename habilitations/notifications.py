"""The outbox: a notification is a row written with the event; Celery sends it after the commit.

No relay: anyone may send /pro/habilitation/ and type any address there, so what we write to an
address typed by the public, before a CAF agent has read the request, is our own fixed text, the CAF
the person chose in our list, the reference and the secret follow-up link: no organisme, name,
address, phone, function or any other text typed in the form (the follow-up page shows them).
Each email of the habilitations, checked:
- accuse_reception (to the requester, on submission): fixed text, CAF, reference, link.
- notification_caf (to the CAF's own mailbox, on submission): reference, the lieux d'information
  chosen in our directory, a count, the back-office link; the typed text stays in the back office.
- Nobody listed in the form is written to before validation: their activation email comes after it.
- After an agent has read the request, the emails keep what they hold: convention_envoyee (the agent
  sends it: the requester's name, the convention in PDF), validee and activation (the agent has
  validated the signed convention), avenant (persons typed by the agent), preavis, preavis_annule,
  rappel_fin_convention and fin_convention (validated conventions only, reasons typed by the agent).
- refusee: the reason typed by the agent, but no longer the requester's name: refusing is what an
  agent does with a request someone else typed, and the email goes to the address typed in it.
"""

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

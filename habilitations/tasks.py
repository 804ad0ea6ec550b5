from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.services import notify
from structures.models import DELAI_DISPONIBILITE_OBSOLETE, Structure

from .enums import Role

RAPPEL_TOUS_LES = DELAI_DISPONIBILITE_OBSOLETE / 3  # once a month at most while it stays unconfirmed


@shared_task
def remind_stale_availability() -> int:
    """Ask the people of a fiche to confirm places, availability or the whole fiche, when the latest of them is
    older than three months. A fiche never dated at all (no places, never confirmed) gets no reminder."""
    now = timezone.now()
    stale_before = now - DELAI_DISPONIBILITE_OBSOLETE
    structures = (
        Structure.objects.published()
        .filter(Q(places_mises_a_jour_le__lt=stale_before) | Q(disponibilite_mise_a_jour_le__lt=stale_before)
                | Q(informations_confirmees_le__lt=stale_before))
        .exclude(places_mises_a_jour_le__gte=stale_before)
        .exclude(disponibilite_mise_a_jour_le__gte=stale_before)
        .exclude(informations_confirmees_le__gte=stale_before)
        .filter(Q(rappel_disponibilite_envoye_le__isnull=True) | Q(rappel_disponibilite_envoye_le__lt=now - RAPPEL_TOUS_LES))
        .prefetch_related("affectations__user")
    )
    sent = 0
    for structure in structures:
        emails = sorted({
            a.user.email for a in structure.affectations.all()
            if a.role in (Role.GESTIONNAIRE, Role.ASSMAT) and a.user.is_active
        })
        if not emails:
            continue
        # The reminder and its date in one transaction: written to the outbox, it is sent once.
        with transaction.atomic():
            notify(to=emails, sujet="monenfant : vos disponibilités sont-elles à jour ?",
                   template="habilitations/emails/rappel_disponibilites.txt",
                   context={"structure": structure, "url": f"{settings.SITE_URL}/pro/structures/{structure.pk}/"},
                   territoire=structure.departement_id or "")
            Structure.objects.filter(pk=structure.pk).update(rappel_disponibilite_envoye_le=now)
        sent += 1
    return sent


@shared_task
def purge_habilitations() -> dict:
    """Daily: refused requests six months after the refusal, requests without a convention for 90 days six months later."""
    from .purge import purge_expired

    report = purge_expired()
    return {"demandes": report.total, **{str(statut): n for statut, n in report.demandes.items()},
            "personnes": report.personnes, "documents": report.documents, "transitions": report.transitions,
            "notifications": report.notifications, "activites": report.activites}

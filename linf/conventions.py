"""On its end date, a convention closes its guichet and withdraws its persons' access; the end of a
CAF–CNAF contract does the same for every convention of its département. Run daily (linf.tasks).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from habilitations import conventions
from habilitations.enums import StatutHabilitation
from habilitations.workflow import DemandeHabilitation
from notifications.services import notify

from .models import ContratCafCnaf, Guichet

MOTIF_PREAVIS = "fin de la convention après le préavis de {partie} reçu le {le:%d/%m/%Y}"
MOTIF_CONTRAT = "fin du contrat CAF–CNAF du département {departement} le {fin:%d/%m/%Y}"


@transaction.atomic
def end_and_close(demande: DemandeHabilitation, motif: str) -> None:
    """Close the guichets of the convention's LINF (unless another convention still runs there), then end it."""
    others = DemandeHabilitation.objects.filter(statut=StatutHabilitation.VALIDEE).exclude(pk=demande.pk)
    for structure in demande.structures.all():
        if not others.filter(structures=structure).exclude(fin_le__lte=timezone.localdate()).exists():
            Guichet.objects.filter(structure=structure).fermer(motif=motif)
    conventions.end_convention(demande=demande, motif=motif)


def contrats_a_rappeler(today: datetime.date):
    return ContratCafCnaf.objects.filter(actif=True, fin_le__gt=today, fin_le__lte=today + conventions.RAPPEL_AVANT,
                                         rappel_fin_envoye_le__isnull=True).select_related("departement__caf")


def _caf_email(contrat: ContratCafCnaf) -> list[str]:
    caf = getattr(contrat.departement, "caf", None)
    return [caf.email_habilitations] if caf is not None and caf.email_habilitations else []


@transaction.atomic
def end_contract(contrat: ContratCafCnaf) -> int:
    motif = MOTIF_CONTRAT.format(departement=contrat.departement_id, fin=contrat.fin_le)
    ended = 0
    for demande in conventions.validees_du_departement(contrat.departement_id):
        end_and_close(demande, motif)
        ended += 1
    # Guichets opened without a convention still running (none should be) close too.
    Guichet.objects.filter(structure__commune__departement=contrat.departement_id).fermer(motif=motif)
    ContratCafCnaf.objects.select_for_update().get(pk=contrat.pk).terminer(motif=motif)
    if _caf_email(contrat):
        notify(to=_caf_email(contrat), sujet=f"monenfant : fin du contrat CAF–CNAF du département {contrat.departement_id}",
               template="linf/emails/fin_contrat.txt",
               context={"contrat": contrat, "conventions": ended, "site_url": settings.SITE_URL},
               territoire=contrat.departement_id)
    return ended


def apply_ends(today: datetime.date | None = None) -> dict:
    """Reminders a month ahead, then every convention and contract whose end date has come. Idempotent."""
    today = today or timezone.localdate()
    done = {"rappels": 0, "conventions": 0, "contrats": 0}
    for demande in conventions.a_rappeler(today):
        conventions.remind_end(demande)
        done["rappels"] += 1
    for contrat in contrats_a_rappeler(today):
        with transaction.atomic():
            if _caf_email(contrat):
                notify(to=_caf_email(contrat),
                       sujet=f"monenfant : le contrat CAF–CNAF du département {contrat.departement_id} prend fin "
                             f"le {contrat.fin_le:%d/%m/%Y}",
                       template="linf/emails/rappel_fin_contrat.txt",
                       context={"contrat": contrat, "site_url": settings.SITE_URL}, territoire=contrat.departement_id)
            ContratCafCnaf.objects.filter(pk=contrat.pk).update(rappel_fin_envoye_le=timezone.now())
        done["rappels"] += 1
    for demande in conventions.a_terminer(today):
        end_and_close(demande, MOTIF_PREAVIS.format(partie=demande.get_preavis_par_display(), le=demande.preavis_le))
        done["conventions"] += 1
    for contrat in ContratCafCnaf.objects.filter(actif=True, fin_le__lte=today):
        done["conventions"] += end_contract(contrat)
        done["contrats"] += 1
    return done


"""Requests that never became a convention are not kept: a refused request six months after its
refusal, a request left without a convention (still "non traitée" or "convention envoyée") for 90
days six months after that, i.e. 90 days and six months after its last step. They go with their
persons, documents, steps and emails. A validated convention, running or ended, is never purged here."""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from monenfant import calendrier
from monenfant.regles import CONSERVATION_ACTIVITE_MOIS, DUREE_CONSERVATION
from notifications.models import Notification

from .enums import StatutHabilitation
from .models import ActiviteMensuelle
from .workflow import DemandeHabilitation

logger = logging.getLogger(__name__)

SANS_CONVENTION = datetime.timedelta(days=90)
BATCH = 100
S = StatutHabilitation


def _derniere_etape():
    # A refusal sets decidee_le, a convention convention_envoyee_le; before either, the request itself.
    return Coalesce("decidee_le", "convention_envoyee_le", "cree_le")


def expirees(now: datetime.datetime):
    cutoff = now - DUREE_CONSERVATION
    return DemandeHabilitation.objects.alias(derniere_etape=_derniere_etape()).filter(
        Q(statut=S.REFUSEE, derniere_etape__lt=cutoff)
        | Q(statut__in=[S.NON_TRAITEE, S.CONVENTION_ENVOYEE], derniere_etape__lt=cutoff - SANS_CONVENTION)
    )


@dataclass
class PurgeReport:
    demandes: dict[str, int] = field(default_factory=lambda: {S.REFUSEE: 0, S.NON_TRAITEE: 0, S.CONVENTION_ENVOYEE: 0})
    personnes: int = 0
    documents: int = 0
    transitions: int = 0
    notifications: int = 0
    activites: int = 0

    @property
    def total(self) -> int:
        return sum(self.demandes.values())


def purge_expired(*, now: datetime.datetime | None = None, batch: int = BATCH) -> PurgeReport:
    """Idempotent, a batch per transaction. Counts only in the log: no reference, no name, no address."""
    now = now or timezone.now()
    report = PurgeReport()
    while True:
        with transaction.atomic():
            # Locked, as the workflow locks a request before a step: one an agent moves on meanwhile
            # (a convention sent, a validation) is read again, no longer expired, and stays.
            lot = list(expirees(now).select_for_update().order_by("pk").values_list("pk", "reference", "statut")[:batch])
            if not lot:
                break
            # Every email about a request that never became a convention names its reference in its
            # subject (services.create_demande_habilitation, send_convention, refuse), and its attached PDF in its
            # file name (Document.nom_fichier): the outbox has no other link.
            emails = Notification.objects.filter(_any_subject([reference for _, reference, _ in lot]))
            report.notifications += emails.delete()[0]
            _, deleted = DemandeHabilitation.objects.filter(pk__in=[pk for pk, _, _ in lot]).delete()
        for _, _, statut in lot:
            report.demandes[statut] += 1
        report.personnes += deleted.get("habilitations.PersonneHabilitee", 0)
        report.documents += deleted.get("habilitations.Document", 0)
        report.transitions += deleted.get("habilitations.TransitionHabilitation", 0)
    report.activites = purge_activite(now)
    logger.info(
        "Purge des demandes d'habilitation : %d refusée(s), %d non traitée(s) et %d sans convention signée "
        "effacée(s), avec %d personne(s), %d document(s), %d étape(s) et %d courriel(s) ; contrôle des connexions : "
        "%d mois d'activité d'une personne, plus anciens que les %d derniers mois, effacé(s).",
        report.demandes[S.REFUSEE], report.demandes[S.NON_TRAITEE], report.demandes[S.CONVENTION_ENVOYEE],
        report.personnes, report.documents, report.transitions, report.notifications, report.activites,
        CONSERVATION_ACTIVITE_MOIS,
    )
    return report


def debut_activite_conservee(now: datetime.datetime) -> datetime.date:
    """The first month of activity kept: the 12 months the page offers, the current one included."""
    return calendrier.derniers_mois(calendrier.premier_jour(timezone.localdate(now)), CONSERVATION_ACTIVITE_MOIS)[-1]


def purge_activite(now: datetime.datetime) -> int:
    """Each person's monthly counts older than the months the connection control shows."""
    return ActiviteMensuelle.objects.filter(mois__lt=debut_activite_conservee(now)).delete()[0]


def _any_subject(references: list[str]) -> Q:
    condition = Q(pk__in=[])
    for reference in references:
        condition |= Q(sujet__contains=reference) | Q(piece_jointe_nom__startswith=f"{reference}-")
    return condition

"""Opening the "guichet pour une demande en ligne" of a LINF: the rules of the habilitation; coverage snapshots."""

import datetime

from django.db import transaction
from django.utils import timezone

from habilitations.enums import StatutHabilitation
from habilitations.workflow import DemandeHabilitation
from structures.enums import Rubrique
from structures.models import Structure

from . import selectors
from .models import ContratCafCnaf, EtatGuichet, Guichet, InstantaneCouverture, TransitionGuichet


class GuichetRefuse(ValueError):
    """Why the guichet cannot open, in French, for the agent."""


def habilitation_validee(structure: Structure) -> DemandeHabilitation | None:
    return (
        DemandeHabilitation.objects.filter(structures=structure, statut=StatutHabilitation.VALIDEE)
        .order_by("-decidee_le").first()
    )


@transaction.atomic
def open_guichet(*, structure: Structure, par=None) -> Guichet:
    if structure.rubrique != Rubrique.LINF:
        raise GuichetRefuse("Seul un lieu d'information a un guichet de demande en ligne.")
    habilitation = habilitation_validee(structure)
    if habilitation is None:
        raise GuichetRefuse(f"{structure.nom} : aucune habilitation validée ; validez d'abord la demande d'habilitation.")
    departement = structure.commune.departement_id
    if not ContratCafCnaf.objects.actifs().filter(departement_id=departement).exists():
        raise GuichetRefuse(f"Le contrat CAF–CNAF du département {departement} n'est pas actif : le service ne peut pas ouvrir.")
    habilitees = set(habilitation.communes.values_list("code_insee", flat=True))
    hors = structure.communes_desservies.exclude(code_insee__in=habilitees).order_by("nom")
    if not structure.communes_desservies.exists():
        raise GuichetRefuse(f"{structure.nom} ne dessert aucune commune : renseignez les communes desservies.")
    if hors.exists():
        raise GuichetRefuse(
            f"{structure.nom} dessert des communes absentes de l'habilitation : {', '.join(c.nom for c in hors[:10])}."
        )
    guichet, _ = Guichet.objects.select_for_update().get_or_create(structure=structure)
    ouvre = not guichet.ouvert
    if ouvre:
        guichet.ouvrir()
    else:  # opened again: the delay of the habilitation and the date are refreshed, the state stays
        guichet.ouvert_le = timezone.now()
    guichet.delai_traitement_jours = habilitation.delai_recuperation_jours
    guichet.save()
    if ouvre:
        TransitionGuichet.objects.create(guichet=guichet, depuis=EtatGuichet.FERME, vers=EtatGuichet.OUVERT, par=par,
                                         motif=f"habilitation {habilitation.reference}")
    return guichet


@transaction.atomic
def close_guichet(*, structure: Structure, par=None) -> None:
    Guichet.objects.filter(structure=structure).fermer(par=par, motif="fermé par la CAF")


def snapshot_couverture(*, today: datetime.date | None = None) -> int:
    """Write this month's coverage of every département; run again the same month, it updates them.
    Past months are never touched: they are the history the progress chart draws."""
    mois = (today or timezone.localdate()).replace(day=1)
    rows = selectors.couverture()
    with transaction.atomic():
        for row in rows:
            InstantaneCouverture.objects.update_or_create(
                mois=mois, departement_id=row["departement"],
                defaults={key: row[key] for key in ("communes", "communes_couvertes", "population_totale",
                                                    "population_couverte")},
            )
    return len(rows)

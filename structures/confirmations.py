"""How current the fiches of a territory are, for the back office ("Confirmation des fiches").

A fiche counts as confirmed when its people confirmed the whole fiche in /pro/ ("Enregistrer et confirmer toute
ma fiche": Structure.informations_confirmees_le) less than three months ago (DELAI_DISPONIBILITE_OBSOLETE, the
delay after which the public fiche says its places are "à confirmer"). Updating only the places or the availability
does not count: it says nothing of the hours, the contacts or the ages, which is what a CAF needs to know to trust a
fiche. Only published fiches count (not closed; an assistant maternel with their consent): the public's view.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import DELAI_DISPONIBILITE_OBSOLETE, Structure

PLUS_ANCIENNES = 20


@dataclass
class Part:
    """Published fiches, and how many of them were confirmed within the delay."""

    total: int
    confirmees: int
    code: str = ""
    nom: str = ""

    @property
    def pourcentage(self) -> int | None:
        return None if not self.total else round(100 * self.confirmees / self.total)


@dataclass
class Confirmations:
    depuis: datetime.datetime  # confirmed on or after this moment: "in the last three months"
    ensemble: Part
    par_departement: list[Part]
    # Not confirmed in the last three months, at most PLUS_ANCIENNES: never confirmed first, then the oldest.
    plus_anciennes: list[Structure]


def fiches_du_territoire(departements: set[str] | None):
    """Published fiches of these départements (None: the whole country)."""
    fiches = Structure.objects.published()
    return fiches if departements is None else fiches.filter(departement__in=departements)


def confirmation_recente(maintenant: datetime.datetime | None = None) -> Q:
    return Q(informations_confirmees_le__gte=(maintenant or timezone.now()) - DELAI_DISPONIBILITE_OBSOLETE)


def part_confirmee(departements: set[str] | None) -> Part:
    """The share alone (one query), for the fiches' list."""
    compte = fiches_du_territoire(departements).aggregate(
        total=Count("pk"), confirmees=Count("pk", filter=confirmation_recente()))
    return Part(total=compte["total"], confirmees=compte["confirmees"])


def confirmations(departements: set[str] | None) -> Confirmations:
    """The share of confirmed fiches of the territory, by département, and the 20 to confirm first (never confirmed,
    then the oldest confirmation)."""
    maintenant = timezone.now()
    fiches = fiches_du_territoire(departements)
    lignes = (fiches.values("departement", "departement__nom").order_by("departement")
              .annotate(total=Count("pk"), confirmees=Count("pk", filter=confirmation_recente(maintenant))))
    par_departement = [Part(total=r["total"], confirmees=r["confirmees"], code=r["departement"] or "",
                            nom=r["departement__nom"] or "") for r in lignes]
    ensemble = Part(total=sum(p.total for p in par_departement), confirmees=sum(p.confirmees for p in par_departement))
    plus_anciennes = list(
        fiches.exclude(confirmation_recente(maintenant)).select_related("commune")
        .order_by(F("informations_confirmees_le").asc(nulls_first=True), "pk")[:PLUS_ANCIENNES]
    )
    return Confirmations(depuis=maintenant - DELAI_DISPONIBILITE_OBSOLETE, ensemble=ensemble,
                         par_departement=par_departement, plus_anciennes=plus_anciennes)

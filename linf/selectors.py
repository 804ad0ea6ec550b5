"""Routing: which LINF, and which persons, receive a demande for a commune."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from habilitations import conventions
from habilitations.delais import DELAI_PAR_DEFAUT
from habilitations.enums import Role
from habilitations.models import User
from structures.enums import Rubrique
from structures.models import Commune, Structure

from .models import ContratCafCnaf, Guichet, InstantaneCouverture


def linfs_ouverts():
    """The rule of routing, in one place: LINF fiches whose guichet is open, in a département whose
    CAF–CNAF contract is active, and whose convention has not reached its end date. Every question
    of "who answers online" starts here."""
    today = timezone.localdate()
    active = ContratCafCnaf.objects.actifs(today).values("departement")
    ended = conventions.a_terminer(today).values("structures")
    return (Structure.objects.published()
            .filter(rubrique=Rubrique.LINF, guichet__ouvert=True, commune__departement__in=active)
            .exclude(pk__in=ended))


def linfs_serving(commune: Commune):
    """The open LINF that serve the commune (or its city, for an arrondissement)."""
    codes = [commune.code_insee] + ([commune.commune_parente_id] if commune.commune_parente_id else [])
    return linfs_ouverts().filter(communes_desservies__in=codes).distinct().order_by("nom", "pk")


def linfs_of_departement(code: str):
    """The information places that answer families' demandes online in a département."""
    return linfs_ouverts().filter(commune__departement_id=code).select_related("commune").order_by("nom", "pk")


def persons_of(structures) -> list[User]:
    return list(
        User.objects.filter(is_active=True, affectations__role=Role.LINF, affectations__structure__in=structures)
        .distinct().order_by("email")
    )


def delai_traitement(linf: Structure) -> int:
    """Days the LINF has to retrieve a demande: its guichet's, or the default while it has none."""
    guichet = getattr(linf, "guichet", None)
    return guichet.delai_traitement_jours if guichet else DELAI_PAR_DEFAUT


def _codes_couverts():
    """INSEE codes served by an open LINF (a subquery)."""
    return linfs_ouverts().values("communes_desservies")


def couverture(departements=None) -> list[dict]:
    """Per département: communes and population served online, and their share; one aggregate query."""
    communes = Commune.objects.filter(commune_parente__isnull=True)  # arrondissements count in their city
    if departements is not None:
        communes = communes.filter(departement__in=departements)
    covered = Q(code_insee__in=_codes_couverts())
    rows = (communes.values("departement", "departement__nom")
            .annotate(communes=Count("pk"), communes_couvertes=Count("pk", filter=covered),
                      population_totale=Sum("population"), population_couverte=Sum("population", filter=covered))
            .order_by("departement"))
    return [{**r, "population_couverte": r["population_couverte"] or 0,
             "part": _part(r["population_couverte"] or 0, r["population_totale"])} for r in rows]


def _part(couverte: int, population: int) -> float:
    return round(100 * couverte / population, 1) if population else 0.0


def total(rows: list[dict]) -> dict:
    population = sum(r["population_totale"] for r in rows)
    couverte = sum(r["population_couverte"] for r in rows)
    return {"communes": sum(r["communes"] for r in rows), "communes_couvertes": sum(r["communes_couvertes"] for r in rows),
            "population_totale": population, "population_couverte": couverte,
            "part": _part(couverte, population)}


def communes_non_couvertes(departements=None, limit: int = 50):
    """Where a CAF should look for a LINF: uncovered communes, most populated first."""
    communes = Commune.objects.filter(commune_parente__isnull=True).exclude(code_insee__in=_codes_couverts())
    if departements is not None:
        communes = communes.filter(departement__in=departements)
    return communes.order_by("-population", "code_insee")[:limit]


def carte_couverture(departement: str) -> list[list]:
    """The communes of a département for the coverage map: code, name, latitude, longitude, population, covered."""
    covered = set(_codes_couverts().filter(communes_desservies__departement=departement)
                  .values_list("communes_desservies", flat=True))
    communes = (Commune.objects.filter(departement=departement, commune_parente__isnull=True, point__isnull=False)
                .order_by("-population", "code_insee"))
    return [[c.code_insee, c.nom, round(c.point.y, 5), round(c.point.x, 5), c.population, c.code_insee in covered]
            for c in communes]


def progression(departements=None) -> dict:
    """The monthly snapshots of the territory: one series per département, and France for the CNAF.

    Each point: mois, communes, communes_couvertes, population_totale, population_couverte, part.
    """
    fields = ("communes", "communes_couvertes", "population_totale", "population_couverte")
    # Plain values, not model instances: the CNAF reads 101 départements × every month.
    rows = InstantaneCouverture.objects.order_by("departement", "mois").values(
        "departement", "departement__nom", "mois", *fields)
    if departements is not None:
        rows = rows.filter(departement__in=departements)
    series: dict[str, dict] = {}
    national: dict[datetime.date, dict] = {}
    for row in rows:
        point = {"mois": row["mois"], **{key: row[key] for key in fields},
                 "part": _part(row["population_couverte"], row["population_totale"])}
        serie = series.setdefault(row["departement"], {"code": row["departement"], "nom": row["departement__nom"],
                                                       "points": []})
        serie["points"].append(point)
        if departements is None:
            month = national.setdefault(row["mois"], {"mois": row["mois"], **dict.fromkeys(fields, 0)})
            for key in fields:
                month[key] += point[key]
    france = None
    if departements is None:
        france = {"code": "", "nom": "France", "points": [
            {**m, "part": _part(m["population_couverte"], m["population_totale"])} for _, m in sorted(national.items())]}
    return {"departements": list(series.values()), "france": france}


def nombre_guichets_ouverts(departement: str) -> int:
    """Open guichets of a département (the CAF–CNAF contract's PDF states it)."""
    return Guichet.objects.filter(ouvert=True, structure__commune__departement=departement).count()

"""Reads of the directory: geolocated search and commune lookup."""

import math
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import connections
from django.db.models import Count, ExpressionWrapper, F, FloatField, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from . import geo
from .enums import RUBRIQUE_ALIASES, Jour, Rubrique
from .models import Commune, Horaire, Structure

RAYON_DEFAUT_KM = 10
RAYON_MAX_KM = 50


class SearchError(ValueError):
    """A search parameter a person or a partner got wrong; the message is shown as is."""


@dataclass
class Criteres:
    point: Point
    rayon_km: float = RAYON_DEFAUT_KM
    rubriques: list[str] = field(default_factory=list)
    age_mois: int | None = None
    places_disponibles: bool = False
    accueil_handicap: bool = False
    horaires_atypiques: bool = False
    ouvert_samedi: bool = False
    avip: bool = False


def parse_rubriques(raw: str | list[str] | None) -> list[str]:
    """'eaje,ram' -> ['EAJE', 'RPE']; unknown codes raise SearchError."""
    if not raw:
        return []
    items = raw if isinstance(raw, list) else raw.split(",")
    codes = []
    for item in items:
        code = item.strip().upper()
        if not code:
            continue
        code = RUBRIQUE_ALIASES.get(code, code)
        if code not in Rubrique.values:
            raise SearchError(
                f"Rubrique inconnue : « {item.strip()[:20]} ». Valeurs possibles : {', '.join(Rubrique.values)}."
            )
        if code not in codes:
            codes.append(code)
    return codes


def parse_rayon(raw) -> float:
    if raw in (None, ""):
        return RAYON_DEFAUT_KM
    try:
        rayon = float(str(raw).replace(",", "."))
    except ValueError:
        raise SearchError("Le rayon doit être un nombre de kilomètres.") from None
    if not (0 < rayon <= RAYON_MAX_KM):
        raise SearchError(f"Le rayon doit être compris entre 1 et {RAYON_MAX_KM} km.")
    return rayon


def parse_lat_lon(lat, lon) -> Point:
    try:
        point = Point(float(str(lon).replace(",", ".")), float(str(lat).replace(",", ".")), srid=4326)
    except (TypeError, ValueError):
        raise SearchError("Les coordonnées doivent être des nombres décimaux (lat, lon).") from None
    if not geo.is_in_france(point):
        raise SearchError("Ces coordonnées ne sont pas en France.")
    return point


def commune_by_code(code: str) -> Commune:
    code = (code or "").strip().upper()
    # INSEE codes are 5 letters or digits (2A/2B for Corsica); anything else never reaches the database.
    commune = Commune.objects.filter(code_insee=code).first() if len(code) == 5 and code.isalnum() else None
    if commune is None or commune.point is None:
        raise SearchError(f"Commune inconnue : « {code[:10]} ». Indiquez un code INSEE à 5 caractères.")
    return commune


def great_circle_km(point: Point):
    """Haversine distance (km) from point to each row, on the float columns lon/lat.

    Plain arithmetic, written once for both backends: SpatiaLite and PostGIS compute the same
    numbers, so they rank the same structures in the same order. Cheaper than a geodesic
    distance on the geometry, which parses every candidate's blob (4x slower on SpatiaLite);
    it differs from the geodesic distance by less than 0.5 %.
    """
    half_dlat = Radians(F("lat") - point.y) / 2
    half_dlon = Radians(F("lon") - point.x) / 2
    h = Power(Sin(half_dlat), 2) + math.cos(math.radians(point.y)) * Cos(Radians(F("lat"))) * Power(Sin(half_dlon), 2)
    return ExpressionWrapper(2 * geo.EARTH_RADIUS_KM * ASin(Sqrt(h)), output_field=FloatField())


def _within_radius(queryset, point: Point, rayon_km: float):
    """Rows near enough, found through the spatial index of each backend (a superset, by a margin)."""
    margin_km = rayon_km * 1.01 + 0.05
    if connections[queryset.db].vendor == "postgresql":
        # geography column + D: ST_DWithin on the spheroid, served by the GiST index.
        return queryset.filter(point__dwithin=(point, D(km=margin_km)))
    # SpatiaLite: Django's lookups never use the R*Tree: query its table directly. Each point is
    # stored there as a tiny float32 box; the same distance on its corner drops the corners of
    # the square (the margin covers the float32 rounding).
    table = Structure._meta.db_table
    xmin, ymin, xmax, ymax = geo.bbox_around(point, rayon_km)
    in_circle = RawSQL(  # noqa: S611 (table name from the model, values as parameters)
        f"SELECT pkid FROM idx_{table}_point WHERE xmax >= %s AND xmin <= %s AND ymax >= %s AND ymin <= %s"
        " AND 2 * %s * asin(sqrt(power(sin(radians(ymin - %s) / 2), 2)"
        " + cos(radians(%s)) * cos(radians(ymin)) * power(sin(radians(xmin - %s) / 2), 2))) <= %s",
        (xmin, xmax, ymin, ymax, geo.EARTH_RADIUS_KM, point.y, point.y, point.x, margin_km),
    )
    return queryset.filter(pk__in=in_circle)


def search_structures(criteres: Criteres, *, using: str = "default"):
    """Published structures within the radius, nearest first (ties by id), with `distance_km`."""
    qs = Structure.objects.using(using).published()
    # Cheap tests first: SQLite evaluates the WHERE clause in order, the distance last.
    if criteres.rubriques:
        qs = qs.filter(rubrique__in=criteres.rubriques)
    if criteres.age_mois is not None:
        qs = qs.exclude(age_min_mois__gt=criteres.age_mois).exclude(age_max_mois__lt=criteres.age_mois)
    if criteres.places_disponibles:
        qs = qs.filter(places_disponibles__gt=0)
    if criteres.accueil_handicap:
        qs = qs.filter(accueil_handicap=True)
    if criteres.horaires_atypiques:
        qs = qs.filter(horaires_atypiques=True)
    if criteres.ouvert_samedi:
        qs = qs.filter(pk__in=Horaire.objects.filter(jour=Jour.SAMEDI).values("structure"))
    if criteres.avip:
        qs = qs.avip()
    return (
        _within_radius(qs, criteres.point, criteres.rayon_km)
        .annotate(distance_km=great_circle_km(criteres.point))
        .filter(distance_km__lte=criteres.rayon_km)
        .select_related("commune")
        .order_by("distance_km", "pk")
    )

AGES_MOIS = [
    (3, "3 mois"), (6, "6 mois"), (12, "1 an"), (18, "18 mois"), (24, "2 ans"), (36, "3 ans"),
    (48, "4 ans"), (72, "6 ans"), (96, "8 ans"), (120, "10 ans"),
]
TRUE_VALUES = {"1", "true", "on", "oui", "yes"}


def parse_age(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        age = int(raw)
    except (TypeError, ValueError):
        raise SearchError("L'âge de l'enfant doit être un nombre de mois.") from None
    if not 0 <= age <= 216:
        raise SearchError("L'âge de l'enfant doit être compris entre 0 et 216 mois.")
    return age


def _flag(params, name: str) -> bool:
    return str(params.get(name, "")).lower() in TRUE_VALUES


def criteres_from_params(params, *, point: Point) -> Criteres:
    """Filters shared by the search page and the API (same names in both)."""
    return Criteres(
        point=point,
        rayon_km=parse_rayon(params.get("rayon_km")),
        rubriques=parse_rubriques(",".join(params.getlist("rubrique"))),
        age_mois=parse_age(params.get("age_mois")),
        places_disponibles=_flag(params, "places_disponibles"),
        accueil_handicap=_flag(params, "accueil_handicap"),
        horaires_atypiques=_flag(params, "horaires_atypiques"),
        ouvert_samedi=_flag(params, "ouvert_samedi"),
        avip=_flag(params, "avip"),
    )


def communes_for_text(text: str, limit: int = 10) -> list[Commune]:
    """Autocomplete and the no-JavaScript fallback: "Le Puy-en-Velay (43000)" finds that commune."""
    # PostgreSQL refuses NUL characters in text: drop them rather than fail.
    text = (text or "").replace("\x00", "").strip()[:100]
    hint = ""
    if text.endswith(")") and "(" in text:
        text, hint = text[:-1].rsplit("(", 1)
        text, hint = text.strip(), hint.strip()
    communes = Commune.objects.matching(text).filter(point__isnull=False).select_related("departement")
    if hint:
        narrowed = [c for c in communes[:50] if hint in c.liste_codes_postaux or hint == c.departement_id]
        if narrowed:
            return narrowed[:limit]
    return list(communes[:limit])


AVIP_RAYON_KM = 20


def avip_near(commune: Commune, rayon_km: float = AVIP_RAYON_KM, limit: int = 20) -> list[Structure]:
    """The AVIP solutions around a commune, nearest first: for jobseeker parents."""
    return list(search_structures(Criteres(point=commune.point, rayon_km=rayon_km, avip=True))[:limit])


def avip_par_departement(departements=None):
    """AVIP solutions and places labelled today, per département (None: all of France)."""
    qs = Structure.objects.published().avip()
    if departements is not None:
        qs = qs.filter(commune__departement__in=departements)
    return (qs.values("commune__departement", "commune__departement__nom")
            .annotate(solutions=Count("pk"), places=Sum("avip_places")).order_by("commune__departement"))

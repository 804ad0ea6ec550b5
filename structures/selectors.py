"""Reads of the directory: geolocated search and commune lookup."""

import base64
import binascii
import datetime
import math
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import connections
from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from compteurs import evenements

from . import geo
from .enums import RUBRIQUE_ALIASES, EvenementUsage, Jour, Rubrique
from .models import Commune, CompteurUsage, Departement, Structure
from .text import normalize

RAYON_DEFAUT_KM = 10
RAYON_MAX_KM = 50


class SearchError(ValueError):
    """A search parameter a person or a partner got wrong; the message is shown as is."""


@dataclass
class Criteres:
    # None: no origin point (the API's listing of a département, ordered by id).
    point: Point | None
    rayon_km: float = RAYON_DEFAUT_KM
    departement: str | None = None
    rubriques: list[str] = field(default_factory=list)
    age_mois: int | None = None
    # Available today (models.place_disponible_le): a place announced for a later day is not.
    places_disponibles: bool = False
    accueil_handicap: bool = False
    horaires_atypiques: bool = False
    # models.ouvert_le: an assistant maternel's declared half-days, the others' opening hours.
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


def _filtrer(qs, criteres: Criteres):
    # Cheap tests first: SQLite evaluates the WHERE clause in order, the distance last.
    if criteres.rubriques:
        qs = qs.filter(rubrique__in=criteres.rubriques)
    if criteres.departement:
        qs = qs.filter(departement_id=criteres.departement)
    if criteres.age_mois is not None:
        qs = qs.exclude(age_min_mois__gt=criteres.age_mois).exclude(age_max_mois__lt=criteres.age_mois)
    if criteres.places_disponibles:
        qs = qs.avec_place()
    if criteres.accueil_handicap:
        qs = qs.filter(accueil_handicap=True)
    if criteres.horaires_atypiques:
        qs = qs.filter(horaires_atypiques=True)
    if criteres.ouvert_samedi:
        qs = qs.ouverts_le(Jour.SAMEDI)
    if criteres.avip:
        qs = qs.avip()
    return qs


def search_structures(criteres: Criteres, *, using: str = "default"):
    """Published structures within the radius, nearest first (ties by id), with `distance_km`."""
    qs = _filtrer(Structure.objects.using(using).published(), criteres)
    return (
        _within_radius(qs, criteres.point, criteres.rayon_km)
        .annotate(distance_km=great_circle_km(criteres.point))
        .filter(distance_km__lte=criteres.rayon_km)
        .select_related("commune")
        .order_by("distance_km", "pk")
    )


@dataclass(frozen=True)
class Curseur:
    """Where a page of the API ends: the last fiche's id, and its distance when the search has a point. Sent
    to partners as an opaque token; the next page starts strictly after it (keyset: no page is read twice,
    a fiche added meanwhile does not shift the others)."""

    pk: int
    distance_km: float | None = None

    def encoder(self) -> str:
        texte = str(self.pk) if self.distance_km is None else f"{self.distance_km!r}:{self.pk}"
        return base64.urlsafe_b64encode(texte.encode()).decode().rstrip("=")

    @classmethod
    def decoder(cls, jeton: str, *, avec_distance: bool) -> "Curseur":
        erreur = SearchError("Curseur invalide : reprenez l'adresse « suivant » de la page précédente.")
        try:
            texte = base64.urlsafe_b64decode(jeton + "=" * (-len(jeton) % 4)).decode("ascii")
            distance, _, pk = texte.rpartition(":")
            curseur = cls(int(pk), float(distance) if distance else None)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise erreur from None
        if not 0 < curseur.pk < 2**63 or (curseur.distance_km is None) == avec_distance or (
                curseur.distance_km is not None and not 0 <= curseur.distance_km <= 2 * RAYON_MAX_KM):
            raise erreur
        return curseur


def page_de_structures(criteres: Criteres, *, apres: Curseur | None, limite: int) -> tuple[list[Structure], Curseur | None]:
    """One page of the API: around the point nearest first, else by id; and the cursor of the next page,
    None on the last. Reads one row more than the page to know whether another follows (no count)."""
    if criteres.point is None:
        qs = _filtrer(Structure.objects.published(), criteres).select_related("commune").order_by("pk")
        if apres is not None:
            qs = qs.filter(pk__gt=apres.pk)
    else:
        qs = search_structures(criteres)
        if apres is not None:
            qs = qs.filter(Q(distance_km__gt=apres.distance_km) | Q(distance_km=apres.distance_km, pk__gt=apres.pk))
    structures = list(qs[:limite + 1])
    if len(structures) <= limite:
        return structures, None
    derniere = structures[limite - 1]
    return structures[:limite], Curseur(derniere.pk, getattr(derniere, "distance_km", None))


def departement_by_code(code: str) -> Departement:
    code = (code or "").strip().upper()
    departement = Departement.objects.filter(code=code).first() if 1 <= len(code) <= 3 and code.isalnum() else None
    if departement is None:
        raise SearchError(f"Département inconnu : « {code[:10]} ». Indiquez un code comme 43, 2A ou 974.")
    return departement


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


class Correspondance:
    """How sure one must be that typed text names a commune, by who asks (named options of resolve_commune)."""

    # The habilitation's list of communes: a code INSEE or the exact name, in the CAF's département.
    EXACTE = "exacte"
    # The demande form: the one commune the text designates; several or none → no commune.
    UNIQUE = "unique"
    # The search: the exact name among the candidates, or the candidates to choose from.
    PROPOSEE = "proposee"


@dataclass
class CommuneTrouvee:
    commune: Commune | None
    candidates: list[Commune] = field(default_factory=list)


def resolve_commune(text: str, *, code: str = "", correspondance: str, parmi=None) -> CommuneTrouvee:
    """Typed text (or a code INSEE) → a commune, by one of the Correspondance policies. PROPOSEE raises
    SearchError when nothing matches (the search page says so); the others answer no commune."""
    text = (text or "").strip()
    if correspondance == Correspondance.EXACTE:
        communes = parmi if parmi is not None else Commune.objects.all()
        return CommuneTrouvee(communes.filter(Q(code_insee=text.upper()) | Q(nom_normalise=normalize(text))).first())
    if code.strip():
        try:
            return CommuneTrouvee(commune_by_code(code))
        except SearchError:
            if correspondance == Correspondance.PROPOSEE:
                raise
            return CommuneTrouvee(None)
    candidates = communes_for_text(text)
    if correspondance == Correspondance.UNIQUE:
        return CommuneTrouvee(candidates[0] if len(candidates) == 1 else None, candidates)
    if not candidates:
        raise SearchError(f"Aucune commune ne correspond à « {text[:60]} ».")
    exact = [c for c in candidates if c.nom_normalise == normalize(text)]
    if len(candidates) > 1 and len(exact) != 1:
        return CommuneTrouvee(None, candidates)
    return CommuneTrouvee(exact[0] if exact else candidates[0], candidates)


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


# Usage of the site: reads of the counters only (compteurs.usage writes them) --------------
# Events tied to a place (compteurs.evenements.territoriaux): a CAF reads them for its territory.
# The others are national. Every app names its own events; the wiring lists them (monenfant/apps.py).


def mois_bornes(mois: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First day of the month, and first day of the next one."""
    debut = mois.replace(day=1)
    return debut, (debut + datetime.timedelta(days=32)).replace(day=1)


def vues_des_fiches(structure_ids, today: datetime.date) -> dict[int, dict]:
    """Views of each fiche this month and last month, for the people who keep them."""
    debut, _ = mois_bornes(today)
    precedent, _ = mois_bornes(debut - datetime.timedelta(days=1))
    rows = (
        CompteurUsage.objects.filter(evenement=EvenementUsage.FICHE_VUE, structure__in=structure_ids,
                                     jour__gte=precedent, jour__lte=today)
        .values("structure")
        .annotate(ce_mois=Sum("nombre", filter=Q(jour__gte=debut), default=0),
                  mois_precedent=Sum("nombre", filter=Q(jour__lt=debut), default=0))
        .order_by()
    )
    vues = {pk: {"ce_mois": 0, "mois_precedent": 0} for pk in structure_ids}
    vues.update({r["structure"]: {"ce_mois": r["ce_mois"], "mois_precedent": r["mois_precedent"]} for r in rows})
    return vues


@dataclass
class UsageDuMois:
    totaux: list[dict]
    recherches: list[dict]
    fiches: list[dict]
    evolution: list[dict]


def usage_du_mois(mois: datetime.date, departements: set[str] | None, *, fiches: int = 20) -> UsageDuMois:
    """The back office page: one month, for some départements (None: France). Reads the counters only,
    plus the names of the départements and of the most viewed fiches."""
    debut, fin = mois_bornes(mois)
    du_mois = CompteurUsage.objects.filter(jour__gte=debut, jour__lt=fin)
    # Named rather than excluded, so that PostgreSQL reads them by index among a month of fiche views.
    national = du_mois.filter(evenement__in=evenements.nationaux())
    territoire = du_mois.filter(evenement__in=evenements.territoriaux())
    if departements is not None:
        territoire = territoire.filter(departement__in=departements)

    # Fiche views are also counted per département and rubrique (structure empty): totals read those rows.
    totaux_territoire = territoire.filter(structure__isnull=True)
    par_evenement = {
        r["evenement"]: r["total"]
        for qs in (totaux_territoire, national)
        for r in qs.values("evenement").annotate(total=Sum("nombre")).order_by()
    }
    totaux = [
        {"evenement": e.code, "libelle": e.libelle, "total": par_evenement.get(e.code, 0),
         "national": not e.territorial}
        for e in evenements.tous()
    ]

    rows = list(territoire.filter(evenement=EvenementUsage.RECHERCHE).values("departement", "rubrique")
                .annotate(total=Sum("nombre")).order_by("departement", "rubrique"))
    noms = dict(Departement.objects.filter(code__in={r["departement"] for r in rows}).values_list("code", "nom"))
    rubriques = dict(Rubrique.choices)
    recherches = [
        {"departement": r["departement"] or "", "departement_nom": noms.get(r["departement"], "non précisé"),
         "rubrique": r["rubrique"], "rubrique_libelle": rubriques.get(r["rubrique"], "Toutes rubriques"),
         "total": r["total"]}
        for r in rows
    ]

    # The most viewed fiches of a territory; the country's would add up every fiche: the CNAF picks a département.
    top = [] if departements is None else list(
        territoire.filter(evenement=EvenementUsage.FICHE_VUE, structure__isnull=False).values("structure")
        .annotate(total=Sum("nombre")).order_by("-total", "structure")[:fiches])
    infos = {s["pk"]: s for s in Structure.objects.filter(pk__in=[r["structure"] for r in top])
             .values("pk", "nom", "rubrique", "commune__nom", "commune__departement")}
    fiches_vues = [
        {"structure": r["structure"], "nom": infos[r["structure"]]["nom"],
         "rubrique_libelle": rubriques.get(infos[r["structure"]]["rubrique"], ""),
         "commune": infos[r["structure"]]["commune__nom"], "departement": infos[r["structure"]]["commune__departement"],
         "total": r["total"]}
        for r in top if r["structure"] in infos
    ]

    par_jour: dict = {}
    for qs in (totaux_territoire, national):
        for r in qs.values("jour", "evenement").annotate(total=Sum("nombre")).order_by():
            par_jour.setdefault(r["jour"], {})[r["evenement"]] = r["total"]
    evolution = [
        {"jour": jour, "valeurs": [par_jour[jour].get(e.code, 0) for e in evenements.tous()]}
        for jour in sorted(par_jour)
    ]
    return UsageDuMois(totaux=totaux, recherches=recherches, fiches=fiches_vues, evolution=evolution)


# Who answers families' demandes online for a commune is linf's rule (linf.selectors.linfs_serving), and
# linf comes after structures: monenfant/apps.py plugs it in here. Unplugged, nobody answers online.
_linfs_serving = None


def plug_linfs_serving(selector) -> None:
    global _linfs_serving
    _linfs_serving = selector


def linfs_answering_online(commune: Commune) -> list[Structure]:
    """The information places that receive a demande d'information for this commune, by name."""
    return list(_linfs_serving(commune)) if _linfs_serving is not None and commune is not None else []


def fiches_par_departement() -> list[dict]:
    """Every département with its published fiches, per rubrique and in all; one aggregate query."""
    counts: dict[str, dict[str, int]] = {}
    rows = (Structure.objects.published().values_list("commune__departement", "rubrique")
            .annotate(n=Count("pk")).order_by())
    for departement, rubrique, n in rows:
        counts.setdefault(departement, {})[rubrique] = n
    return [
        {"departement": d, "par_rubrique": [counts.get(d.code, {}).get(code, 0) for code in Rubrique.values],
         "total": sum(counts.get(d.code, {}).values())}
        for d in Departement.objects.order_by("code")
    ]


def commune_de_depart(departement: Departement) -> Commune | None:
    """Where a search of the whole département starts: its chef-lieu, or (not imported yet) its largest commune."""
    if departement.chef_lieu_id:
        return departement.chef_lieu
    return (Commune.objects.filter(departement=departement, commune_parente__isnull=True, point__isnull=False)
            .order_by("-population", "code_insee").first())


def nombre_assmat_sans_consentement(departements=None) -> int:
    """Assistants maternels not published for want of their consent, in these départements (None: the country)."""
    queryset = Structure.objects.assmat_sans_consentement()
    if departements is not None:
        queryset = queryset.filter(commune__departement__in=departements)
    return queryset.count()

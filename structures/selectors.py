"""Reads of the directory: geolocated search and commune lookup."""

import base64
import binascii
import datetime
import math
from dataclasses import dataclass, field, replace

from django.contrib.gis.db.models import PointField
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Count, F, FloatField, Func, Q, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from compteurs import evenements

from . import geo
from .besoin import Besoin, annoter_adequation
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
    # A family's need (besoin.Besoin): results ranked by how well they fit it, then nearest first.
    besoin: Besoin | None = None


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


class _Reel(float):
    nom = ""


class _Entier(int):
    nom = ""


def _parametre(valeur, nom: str):
    """A number of the search that changes with each request (the origin, the cursor): a plain number for
    the database, named so that the SQL of a search can be compiled once and reused with other values
    (_executer_compilee). Passed as is to the SQL (expressions, never through a field's conversion, which would
    return a plain number: its name, and so the new value, would be lost)."""
    parametre = (_Entier if isinstance(valeur, int) else _Reel)(valeur)
    parametre.nom = nom
    return parametre


class _Nomme(Func):
    """`%s` with a named parameter (_parametre), where a lookup would convert a plain value."""

    def __init__(self, parametre, output_field):
        super().__init__(output_field=output_field)
        self.parametre = parametre

    def as_sql(self, compiler, connection, **extra_context):
        return "%s", (self.parametre,)


class _GreatCircleKm(Func):
    """The haversine formula on the columns lat/lon, written as one SQL expression whose origin is named
    (_parametre): the same arithmetic, in the same order, as the tree of Django functions it replaced (the
    same numbers on both backends)."""

    output_field = FloatField()

    def __init__(self, x: float, y: float):
        super().__init__(F("lat"), F("lon"))
        self.x, self.y = x, y

    def as_sql(self, compiler, connection, **extra_context):
        lat, lat_params = compiler.compile(self.source_expressions[0])
        lon, lon_params = compiler.compile(self.source_expressions[1])
        sql = (f"(%s * ASIN(SQRT((POWER(SIN((RADIANS(({lat} - %s)) / 2)), 2) + ((%s * COS(RADIANS({lat})))"
               f" * POWER(SIN((RADIANS(({lon} - %s)) / 2)), 2))))))")
        params = (2 * geo.EARTH_RADIUS_KM, *lat_params, _parametre(self.y, "y"),
                  _parametre(math.cos(math.radians(self.y)), "cos_y"), *lat_params, *lon_params, _parametre(self.x, "x"))
        return sql, params


def great_circle_km(point: Point):
    """Haversine distance (km) from point to each row, on the float columns lon/lat.

    Plain arithmetic, written once for both backends: SpatiaLite and PostGIS compute the same
    numbers, so they rank the same structures in the same order. Cheaper than a geodesic
    distance on the geometry, which parses every candidate's blob (4x slower on SpatiaLite);
    it differs from the geodesic distance by less than 0.5 %.
    """
    return _GreatCircleKm(point.x, point.y)


def _margin_km(rayon_km: float) -> float:
    """A radius widened enough that the index's distance (spheroid, sphere, float32 box) misses no row that
    the great-circle formula puts within rayon_km."""
    return rayon_km * 1.01 + 0.05


def _within_radius(queryset, point: Point, rayon_km: float):
    """Rows near enough, found through the spatial index of each backend (a superset, by a margin)."""
    margin_km = _margin_km(rayon_km)
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


def _apres(qs, apres: "Curseur | None"):
    """Strictly after the cursor in the order (distance_km, pk), or (-adequation, distance_km, pk) when the cursor
    has a fit; qs has `distance_km` (and `adequation`)."""
    if apres is None:
        return qs
    distance, pk = _Nomme(_parametre(apres.distance_km, "apres_km"), FloatField()), _Nomme(
        _parametre(apres.pk, "apres_pk"), BigIntegerField())
    suivants = Q(distance_km__gt=distance) | Q(distance_km=distance, pk__gt=pk)
    if apres.adequation is None:
        return qs.filter(suivants)
    return qs.filter(Q(adequation__lt=apres.adequation) | (Q(adequation=apres.adequation) & suivants))


def search_structures(criteres: Criteres, *, using: str = "default", premiers: int | None = None,
                      apres: "Curseur | None" = None):
    """Published structures within the radius, nearest first (ties by id), with `distance_km`; after the
    cursor `apres` when given.

    premiers=n: only the first n are wanted (a page, or one more to know whether another follows). On
    PostGIS the search then keeps what lies no farther than the n-th nearest, which the GiST index finds
    walking in distance order (KNN): a dense area reads about n rows instead of sorting every one within
    the radius. The order is still the great-circle distance then the id, as on SpatiaLite.

    With a need (criteres.besoin), each has `adequation` and the best fits come first, nearest first among equals:
    the fit is computed in the database on every fiche within the radius."""
    qs = _filtrer(Structure.objects.using(using).published(), criteres)
    if premiers is not None and criteres.besoin is None and connections[using].vendor == "postgresql":
        qs = qs.filter(_SurLaSphere(criteres.point, _distance_du_rang_m(criteres, premiers, using, apres)))
    elif criteres.besoin is not None and connections[using].vendor == "postgresql":
        # Ranked by fit: every fiche of the radius is read. The index's square, then the great-circle distance
        # below, is enough: ST_DWithin's test on the spheroid cost more than the fit on those thousands.
        qs = qs.filter(_DansLeCarre(criteres.point, _margin_km(criteres.rayon_km) * 1000))
    else:
        qs = _within_radius(qs, criteres.point, criteres.rayon_km)
    qs = qs.annotate(distance_km=great_circle_km(criteres.point)).filter(distance_km__lte=criteres.rayon_km)
    ordre = ("distance_km", "pk")
    if criteres.besoin is not None:
        qs, ordre = annoter_adequation(qs, criteres.besoin), ("-adequation", *ordre)
    return _apres(qs, apres).select_related("commune").order_by(*ordre)


class _Origine(Func):
    """The search's origin as a geography, from its two named coordinates (see _parametre)."""

    output_field = PointField(srid=4326, geography=True)

    def __init__(self, point: Point):
        super().__init__()
        self.x, self.y = point.x, point.y

    def as_sql(self, compiler, connection, **extra_context):
        return "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography", (_parametre(self.x, "x"), _parametre(self.y, "y"))


def _origine(point: Point) -> _Origine:
    return _Origine(point)


class _Distance(Func):
    """`point <-> origin`: the GiST index's distance (on the sphere), by which it walks in order (KNN)."""

    arg_joiner = " <-> "
    template = "%(expressions)s"
    output_field = FloatField()

    def __init__(self, point: Point):
        super().__init__(F("point"), _origine(point))


class _DansLeCarre(Func):
    """`point && _ST_Expand(origin, metres)`: the GiST index's own test, the first half of ST_DWithin. Alone
    (without ST_DWithin's exact test, whose rows the planner underestimates a hundredfold) it lets PostgreSQL
    walk the index in distance order when a few rows are asked, and stop at the square's edge."""

    arg_joiner = " && "
    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, point: Point, metres: float):
        carre = Func(_origine(point), Value(metres), function="_ST_Expand",
                     output_field=PointField(srid=4326, geography=True))
        super().__init__(F("point"), carre)


class _SurLaSphere(Func):
    """`ST_DWithin(point, origin, metres, false)`: on the sphere, as `<->` measures and cheaper than on the
    spheroid; the GiST index serves it. The great-circle filter then keeps the radius exactly."""

    function = "ST_DWithin"
    output_field = BooleanField()

    def __init__(self, point: Point, metres):
        super().__init__(F("point"), _origine(point), metres, Value(False))


def _par_proximite(criteres: Criteres, using: str, apres: "Curseur | None"):
    """PostGIS: the published structures that pass the filters, in the square around the radius, after the
    cursor, ordered by the GiST index's distance `<->` (on the sphere, on the stored point)."""
    qs = _filtrer(Structure.objects.using(using).published(), criteres)
    qs = qs.filter(_DansLeCarre(criteres.point, _margin_km(criteres.rayon_km) * 1000))
    if apres is not None:
        qs = _apres(qs.annotate(distance_km=great_circle_km(criteres.point)), apres)
    return qs.annotate(knn_m=_Distance(criteres.point)).order_by("knn_m")


def _distance_du_rang_m(criteres: Criteres, rang: int, using: str, apres: "Curseur | None"):
    """How far (metres on the sphere) to search so as to find the first `rang` results in their order.

    The rang-th candidate by `<->` bounds them: whatever comes before it in the great-circle order is no
    farther by more than rounding (the same sphere; the stored point has 6 decimals), which the margin covers.
    Its candidates are those of the square, a few beyond the radius among them: if one of those is within
    the first rang, the bound is the radius anyway. Fewer than rang candidates: the radius, with its margin."""
    rang_m = _par_proximite(criteres, using, apres).values("knn_m")[rang - 1:rang]
    return Coalesce(Subquery(rang_m) * 1.01 + 50, Value(_margin_km(criteres.rayon_km) * 1000))


@dataclass(frozen=True)
class Curseur:
    """Where a page of the API ends: the last fiche's id, and its distance when the search has a point. Sent
    to partners as an opaque token; the next page starts strictly after it (keyset: no page is read twice,
    a fiche added meanwhile does not shift the others)."""

    pk: int
    distance_km: float | None = None
    # The fit (0 to 3) of the last fiche, when the results are ranked by fit.
    adequation: int | None = None

    def encoder(self) -> str:
        texte = str(self.pk) if self.distance_km is None else f"{self.distance_km!r}:{self.pk}"
        if self.adequation is not None:
            texte = f"{self.adequation}/{texte}"
        return base64.urlsafe_b64encode(texte.encode()).decode().rstrip("=")

    @classmethod
    def decoder(cls, jeton: str, *, avec_distance: bool, avec_adequation: bool = False) -> "Curseur":
        erreur = SearchError("Curseur invalide : reprenez l'adresse « suivant » de la page précédente.")
        try:
            texte = base64.urlsafe_b64decode(jeton + "=" * (-len(jeton) % 4)).decode("ascii")
            adequation, barre, texte = texte.rpartition("/")
            distance, _, pk = texte.rpartition(":")
            curseur = cls(int(pk), float(distance) if distance else None, int(adequation) if barre else None)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise erreur from None
        if not 0 < curseur.pk < 2**63 or (curseur.distance_km is None) == avec_distance or (
                curseur.distance_km is not None and not 0 <= curseur.distance_km <= 2 * RAYON_MAX_KM) or (
                (curseur.adequation is None) == avec_adequation) or (
                curseur.adequation is not None and not 0 <= curseur.adequation <= 3):
            raise erreur
        return curseur


# What a search result shows (views.feature_de_valeurs), read as plain values: the API writes its JSON
# without building a model instance per row.
CHAMPS_RESULTAT = (
    "pk", "nom", "rubrique", "lon", "lat", "commune_id", "commune__nom", "adresse", "code_postal",
    "places_disponibles", "places_mises_a_jour_le", "disponible_a_partir_du", "avip_depuis", "avip_jusqu_au",
    "avip_places",
)


# The SQL of the searches around a point, by everything but the point and the cursor's values.
_SQL_DES_RECHERCHES: dict = {}
SQL_DES_RECHERCHES_MAX = 500


def _executer_compilee(cle: tuple, construire, valeurs: dict, gabarit: str = "{}") -> tuple[list[str], list[tuple]]:
    """PostGIS: run the SQL of construire() (a queryset), compiled once for `cle` (everything its SQL depends
    on but the named parameters of _parametre), with the request's `valeurs`; `gabarit` wraps it. Returns the
    columns' names and the rows. Building and compiling such a query cost the search more than running it."""
    compilee = _SQL_DES_RECHERCHES.get(cle)
    if compilee is None:
        if len(_SQL_DES_RECHERCHES) >= SQL_DES_RECHERCHES_MAX:
            _SQL_DES_RECHERCHES.clear()
        sql, params = construire().query.sql_with_params()
        compilee = _SQL_DES_RECHERCHES[cle] = (gabarit.format(sql), params)
    sql, params = compilee
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, [valeurs[p.nom] if isinstance(p, _Reel | _Entier) else p for p in params])
        return [colonne.name for colonne in cursor.description], cursor.fetchall()


def _cle(criteres: Criteres, *autres) -> tuple:
    return (repr(replace(criteres, point=None, besoin=None)), timezone.localdate(), *autres)


def _lignes_autour(criteres: Criteres, apres: "Curseur | None", debut: int, fin: int, champs) -> list[dict]:
    """search_structures' rows debut to fin (excluded) as `champs` and `distance_km`, compiled once on PostGIS
    (_executer_compilee)."""
    champs = (*champs, "distance_km") if criteres.besoin is None else (*champs, "distance_km", "adequation")

    def construire():
        return search_structures(criteres, premiers=fin, apres=apres).values(*champs)[debut:fin]

    # A need's values are the SQL's own (not named parameters): a ranked search is not compiled ahead.
    if connections["default"].vendor != "postgresql" or criteres.besoin is not None:
        return list(construire())
    noms, lignes = _executer_compilee(_cle(criteres, apres is None, debut, fin, champs), construire,
                                      valeurs_nommees(criteres.point, apres))
    return [dict(zip(noms, ligne, strict=True)) for ligne in lignes]


def valeurs_nommees(point: Point, apres: "Curseur | None") -> dict:
    """The values of the named parameters (_parametre) of a search from this point, after this cursor."""
    valeurs = {"x": point.x, "y": point.y, "cos_y": math.cos(math.radians(point.y))}
    if apres is not None:
        valeurs.update(apres_km=apres.distance_km, apres_pk=apres.pk)
    return valeurs


def page_de_structures(criteres: Criteres, *, apres: Curseur | None, limite: int) -> tuple[list[dict], Curseur | None]:
    """One page of the API, as CHAMPS_RESULTAT (and `distance_km` around a point): around the point nearest
    first, else by id; and the cursor of the next page, None on the last. Reads one row more than the page
    to know whether another follows (no count)."""
    if criteres.point is None:
        qs = _filtrer(Structure.objects.published(), criteres).order_by("pk")
        if apres is not None:
            qs = qs.filter(pk__gt=apres.pk)
        lignes = list(qs.values(*CHAMPS_RESULTAT)[:limite + 1])
    else:
        lignes = _lignes_autour(criteres, apres, 0, limite + 1, CHAMPS_RESULTAT)
    if len(lignes) <= limite:
        return lignes, None
    derniere = lignes[limite - 1]
    return lignes[:limite], Curseur(derniere["pk"], derniere.get("distance_km"), derniere.get("adequation"))


# The search page counts its results up to this many, then says "plus de 200": counting every assistant
# maternel of Paris cost more than finding the 20 shown.
PLAFOND_COMPTE = 200


@dataclass
class PageDeRecherche:
    """One page of the search page's results, nearest first. `nombre`: how many results in all, or None when
    there are more than PLAFOND_COMPTE (not counted); `pages` likewise."""

    object_list: list
    number: int
    taille: int
    has_next: bool
    nombre: int | None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.taille + 1

    @property
    def pages(self) -> int | None:
        return None if self.nombre is None else max(1, math.ceil(self.nombre / self.taille))


PAGE_MAX = 100_000  # beyond any search's results, and within the database's integers


def _numero_de_page(raw) -> int:
    try:
        return min(max(1, int(raw)), PAGE_MAX)
    except (TypeError, ValueError):
        return 1


def _compte_plafonne(criteres: Criteres) -> int:
    """How many results, up to PLAFOND_COMPTE + 1. PostGIS counts the first ones the GiST index gives in
    distance order, SpatiaLite the first ones found (no order needed to count): both stop at the cap."""
    def construire(par_proximite: bool):
        if par_proximite:
            qs = _par_proximite(criteres, "default", None)
        else:
            qs = _within_radius(_filtrer(Structure.objects.published(), criteres), criteres.point, criteres.rayon_km)
        qs = qs.annotate(distance_km=great_circle_km(criteres.point)).filter(distance_km__lte=criteres.rayon_km)
        return qs.values("pk")[:PLAFOND_COMPTE + 1]

    if connections["default"].vendor != "postgresql":
        return construire(False).count()
    _, lignes = _executer_compilee(_cle(criteres, "compte"), lambda: construire(True),
                                   valeurs_nommees(criteres.point, None), "SELECT count(*) FROM ({}) AS premiers")
    return lignes[0][0]


# What the search page shows of each result (its card and its marker on the map).
CHAMPS_PAGE = (
    "id", "nom", "rubrique", "type_accueil", "adresse", "code_postal", "commune_id", "lon", "lat",
    "places_disponibles", "places_mises_a_jour_le", "disponible_a_partir_du", "disponibilite_mise_a_jour_le",
    "avip_depuis", "avip_jusqu_au", "avip_places", "accueil_handicap", "horaires_atypiques",
    # What the fit in words and the cost read (besoin.constats, familles.couts), so no fiche is read again.
    "age_min_mois", "age_max_mois", "places_bebes", "places_moyens", "places_grands", "financement_psu",
    "tarif_horaire", "indemnite_entretien", "prix_repas", "informations_confirmees_le",
)


def _fiches_de_la_page(criteres: Criteres, debut: int, fin: int) -> list[Structure]:
    """The page's results as fiches with CHAMPS_PAGE only (any other field is read from the database when
    asked), their commune's name, and `distance_km`."""
    # from_db takes the values in the order of the model's fields.
    champs = [f.attname for f in Structure._meta.concrete_fields if f.attname in CHAMPS_PAGE]
    fiches = []
    for ligne in _lignes_autour(criteres, None, debut, fin, (*CHAMPS_PAGE, "commune__nom")):
        fiche = Structure.from_db("default", champs, [ligne[nom] for nom in champs])
        fiche.commune = Commune.from_db("default", ["code_insee", "nom"], [ligne["commune_id"], ligne["commune__nom"]])
        fiche.distance_km = ligne["distance_km"]
        fiche.adequation = ligne.get("adequation")
        fiches.append(fiche)
    return fiches


def page_de_recherche(criteres: Criteres, numero, taille: int) -> PageDeRecherche:
    """A page of the search page: the results of that page (a number past the last gives the last one), and
    their number when it is no more than PLAFOND_COMPTE. Reads one result more to know whether another page
    follows; counts only when that is not enough to tell."""
    numero = _numero_de_page(numero)
    debut = (numero - 1) * taille
    resultats = _fiches_de_la_page(criteres, debut, debut + taille + 1)
    if not resultats and numero > 1:
        # An old link past the end: the last page, as Django's paginator did.
        return page_de_recherche(criteres, math.ceil(search_structures(criteres).count() / taille), taille)
    has_next = len(resultats) > taille
    if not has_next:
        nombre = debut + len(resultats)
    elif debut + taille >= PLAFOND_COMPTE:
        nombre = None
    else:
        compte = _compte_plafonne(criteres)
        nombre = compte if compte <= PLAFOND_COMPTE else None
    return PageDeRecherche(resultats[:taille], numero, taille, has_next, nombre)


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


# What a place would cost a family (familles.couts, composing the simulator): plugged by monenfant/apps.py.
_couts = None


def plug_couts(composer) -> None:
    global _couts
    _couts = composer


def couts_des_fiches(fiches, besoin: Besoin) -> dict:
    """The monthly cost of each fiche for this need, by id; empty when nothing is plugged."""
    return _couts(fiches, besoin) if _couts is not None else {}


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

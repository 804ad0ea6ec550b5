"""A national-scale directory for benchmarks: ~300,000 fiches over real communes, by population.

Proportions from DESIGN.md (12,000 EAJE, 3,000 RPE, 1,000 LAEP, 16,000 ALSH, 240,000 assistants
maternels, plus the information places). Loaded fast: COPY on PostGIS; on SpatiaLite the R*Tree is
dropped during the load and rebuilt once afterwards.
"""

import datetime
import json
import math
import random

from django.db import connection, transaction
from django.utils import timezone

from structures.enums import Rubrique, TypeAccueil
from structures.models import CONSENTEMENT_VERSION, Commune, Organisme, Structure
from structures.services import semaine_condensee
from structures.spatial import ensure_spatial_indexes

ORGANISME = "Annuaire national de test (généré pour les mesures)"
PROPORTIONS = {
    Rubrique.EAJE: 12_000, Rubrique.RPE: 3_000, Rubrique.LAEP: 1_000, Rubrique.ALSH: 16_000,
    Rubrique.ASSMAT: 240_000, Rubrique.LINF: 1_500,
}
GENERATED = [
    "rubrique", "type_accueil", "financement_psu", "nom", "organisme_id", "adresse", "complement_adresse",
    "code_postal", "commune_id", "telephone", "email", "site_web", "presentation", "age_min_mois",
    "age_max_mois", "capacite", "accueil_handicap", "horaires_atypiques", "places_disponibles",
    "places_mises_a_jour_le", "cree_le", "modifie_le", "lon", "lat",
    "consentement_publication_le", "consentement_publication_version", "departement_id",
    "ouvertures_condensees", "fermetures_condensees", "demi_journees_disponibles", "places_bebes",
]


def _semaines() -> list[tuple[int, int]]:
    """Opening weeks as structures.services condenses them: Monday to Friday from 7 h 30, 8 h or 8 h 30 to
    18 h, 18 h 30 or 19 h, some with Saturday morning."""
    semaines = []
    for ouverture, fermeture, samedi in [(datetime.time(7, 30), datetime.time(18, 30), False),
                                         (datetime.time(8), datetime.time(18), False),
                                         (datetime.time(8, 30), datetime.time(19), False),
                                         (datetime.time(7, 30), datetime.time(18), True)]:
        horaires = [(j, ouverture, fermeture) for j in range(1, 6)]
        if samedi:
            horaires.append((6, datetime.time(8), datetime.time(12)))
        semaines.append(semaine_condensee(horaires, [])[:2])
    return semaines


SEMAINES = _semaines()


def _other_columns() -> dict[str, object]:
    """Every other column with the value a new fiche has: fields added later never break the generator."""
    values = {}
    for field in Structure._meta.concrete_fields:
        if field.primary_key or field.column in GENERATED or field.name == "point":
            continue
        value = field.get_default() if field.has_default() else (None if field.null else "")
        # A JSON field's default ({}) is written as its JSON text by both COPY and INSERT.
        values[field.column] = json.dumps(value) if isinstance(value, dict | list) else value
    return values


OTHER_COLUMNS = _other_columns()
COLUMNS = GENERATED + list(OTHER_COLUMNS)


def _communes() -> list[tuple]:
    return list(
        Commune.objects.filter(point__isnull=False).values_list("code_insee", "codes_postaux", "point", "population", "departement_id")
    )


def _rows(communes: list[tuple], total: int, organisme_id: int, seed: int, etablissements: bool = False):
    # `communes` is read before any COPY starts: the connection cannot run a query during one.
    rng = random.Random(seed)
    weights = [max(c[3], 1) for c in communes]
    proportions = {r: n for r, n in PROPORTIONS.items() if not etablissements or r != Rubrique.ASSMAT}
    scale = total / sum(proportions.values())
    now = timezone.now()
    types = list(TypeAccueil.values)
    for rubrique, count in proportions.items():
        for i, (code, codes_postaux, point, _, departement) in enumerate(rng.choices(communes, weights=weights, k=round(count * scale))):
            # Spread around the commune's point (about 2 km), as fiches are in real streets.
            lat = point.y + rng.gauss(0, 0.015)
            lon = point.x + rng.gauss(0, 0.015 / max(math.cos(math.radians(point.y)), 0.1))
            eaje = rubrique == Rubrique.EAJE
            yield (
                [
                    rubrique, rng.choice(types) if eaje else "", eaje and rng.random() < 0.8,
                    f"{rubrique.label} {i + 1}", organisme_id, f"{rng.randint(1, 120)} rue de la Mairie", "",
                    (codes_postaux.split() or ["00000"])[0], code, "", "", "", "", 0, 72 if not eaje else 48,
                    rng.randint(3, 60), rng.random() < 0.3, rng.random() < 0.15, rng.choice([0, 0, 1, 2, 3]),
                    now, now, now, lon, lat,
                    # The generated assistants maternels have all consented to be listed.
                    now if rubrique == Rubrique.ASSMAT else None,
                    CONSENTEMENT_VERSION if rubrique == Rubrique.ASSMAT else "",
                    departement,
                    *(SEMAINES[i % len(SEMAINES)] if rubrique != Rubrique.ASSMAT else (0, 0)),
                    # An assistant maternel's half-days with a place: some of the ten of the week.
                    rng.getrandbits(10) if rubrique == Rubrique.ASSMAT else 0,
                    rng.choice([None, 0, 0, 1, 2]) if eaje else None,
                    *OTHER_COLUMNS.values(),
                ],
                lon, lat,
            )


def generate(total: int = 300_000, seed: int = 2026, etablissements: bool = False) -> int:
    """`etablissements`: no assistant maternel, every fiche an establishment (the open data files' scale)."""
    organisme, _ = Organisme.objects.get_or_create(nom=ORGANISME)
    # Idempotent: a new run replaces the previous generated directory, by batches (SQLite refuses a statement
    # with 300,000 ids, which the cascade of one delete would write).
    pks = list(Structure.objects.filter(organisme=organisme).values_list("pk", flat=True))
    for debut in range(0, len(pks), 5000):
        with transaction.atomic():
            Structure.objects.filter(pk__in=pks[debut:debut + 5000]).delete()
    if connection.vendor == "postgresql":
        return _copy_postgis(organisme.pk, total, seed, etablissements)
    return _insert_spatialite(organisme.pk, total, seed, etablissements)


def _copy_postgis(organisme_id: int, total: int, seed: int, etablissements: bool) -> int:
    communes = _communes()
    count = 0
    table = Structure._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}, point) FROM STDIN") as copy:
            for values, lon, lat in _rows(communes, total, organisme_id, seed, etablissements):
                copy.write_row([*values, f"SRID=4326;POINT({lon:.6f} {lat:.6f})"])
                count += 1
        cursor.execute(f"ANALYZE {table}")
    return count


def _insert_spatialite(organisme_id: int, total: int, seed: int, etablissements: bool) -> int:
    table = Structure._meta.db_table
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}, point) VALUES ({placeholders}, MakePoint(%s, %s, 4326))"
    communes = _communes()
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Loading first and indexing afterwards is about four times faster than a live R*Tree.
        cursor.execute("SELECT DisableSpatialIndex(%s, 'point')", [table])
        batch = []
        for values, lon, lat in _rows(communes, total, organisme_id, seed, etablissements):
            batch.append([*values, lon, lat])
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    ensure_spatial_indexes()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return count


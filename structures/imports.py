"""Import of the reference geography: départements, their CAF, every commune with a point.

Sources (see ../shared/data/SOURCES.md): the coordinates file of 2022 (INSEE codes, names,
postal codes, points) and the npm package @etalab/decoupage-administratif (current codes,
names, postal codes, population). A commune created by a merger after 2022 takes the point of
a commune it absorbed (its `anciensCodes`).
"""

import csv
import functools
import io
import json
import math
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.text import slugify

from . import geo
from .models import Caf, CodeInseeAncien, Commune, Departement
from .text import normalize

COORDONNEES_FILE = "communes-coordonnees-2022.csv"
# Same file as in ../shared/data, from its public compilation (MIT), for machines without it.
COORDONNEES_URL = (
    "https://raw.githubusercontent.com/Coercive/FranceCities/969853d/2022_france_cities/france_cities.csv"
)
ZONES = {"metro", "drom"}
BATCH = 2000
CAF_NOMS_PARTICULIERS = {"976": "Caisse de sécurité sociale de Mayotte"}
# No public list of the CAF shared mailboxes: a non-deliverable placeholder (RFC 2606) until a
# CNAF administrator enters the real one in the back office; the import never overwrites it.
CAF_EMAIL_PLACEHOLDER = "habilitations.caf{code}@monenfant.invalid"
# No public list of the CAF pages either: caf.fr names them "caf-" and the département with its
# liaison ("caf-de-la-haute-loire", "caf-de-l-ain", "caf-des-landes"), an apostrophe as a hyphen.
# Derived once by the import, editable in the back office, never overwritten.
CAF_PAGE_BASE = "https://www.caf.fr/allocataires/"


def page_caf_fr(departement: Departement) -> str:
    """The CAF's page on caf.fr, by the rule above."""
    return CAF_PAGE_BASE + "caf-" + slugify(departement.nom_avec_liaison.replace("'", " ").replace("’", " "))


@dataclass
class ImportReport:
    departements: int = 0
    communes: int = 0
    # Communes absent from the coordinates file, placed at a commune of the same postal code.
    sans_point: list[str] | None = None
    source_coordonnees: str = ""


def read_coordonnees(path: Path | None = None) -> tuple[dict[str, dict], str]:
    path = path or settings.REFERENCE_DATA_DIR / COORDONNEES_FILE
    if path.exists():
        return _parse_coordonnees(path.read_text(encoding="utf-8")), str(path)
    with urllib.request.urlopen(COORDONNEES_URL, timeout=60) as response:  # noqa: S310 (fixed https URL)
        return _parse_coordonnees(response.read().decode("utf-8")), COORDONNEES_URL


@functools.lru_cache(maxsize=2)
def _parse_coordonnees(text: str) -> dict[str, dict]:
    # Parsed once per process for the same text: the tests import the geography again and again.
    # Callers only read the rows.
    return {row["REF_INSEE"]: row for row in csv.DictReader(io.StringIO(text))}


def _point(row: dict | None) -> Point | None:
    if not row or not row.get("LATITUDE") or not row.get("LONGITUDE"):
        return None
    return Point(float(row["LONGITUDE"]), float(row["LATITUDE"]), srid=4326)


def read_decoupage(data_dir: Path | None = None) -> tuple[list[dict], list[dict]] | None:
    data_dir = data_dir or settings.DECOUPAGE_DATA_DIR
    if not (data_dir / "communes.json").exists():
        return None
    departements, communes = _parse_decoupage(
        (data_dir / "departements.json").read_bytes(), (data_dir / "communes.json").read_bytes()
    )
    return list(departements), list(communes)  # new lists: the import sorts and filters them


@functools.lru_cache(maxsize=2)
def _parse_decoupage(departements_json: bytes, communes_json: bytes) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    departements, communes = json.loads(departements_json), json.loads(communes_json)
    return (
        tuple(d for d in departements if d.get("zone") in ZONES),
        tuple(
            c for c in communes
            if c.get("zone") in ZONES and c["type"] in ("commune-actuelle", "arrondissement-municipal")
        ),
    )


def _departements_from_csv(coordonnees: dict[str, dict]) -> list[dict]:
    # Fallback without the npm data: codes only, names unknown until the package is installed.
    codes = sorted({row["DEPARTMENT"] for row in coordonnees.values()})
    return [{"code": code, "nom": code, "typeLiaison": 0} for code in codes]


def _communes_from_csv(coordonnees: dict[str, dict]) -> list[dict]:
    return [
        {
            "code": row["REF_INSEE"],
            "nom": row["NAME"],
            "departement": row["DEPARTMENT"],
            "codesPostaux": [z for z in row["ZIP_CODES"].split("-") if z],
            "commune": row["DISTRICT_OF"] or None,
            "population": 0,
        }
        for row in coordonnees.values()
    ]


def _read_geographie(departements_filter: Iterable[str] | None):
    """The départements and communes to import (the npm package, or the coordinates CSV), and the coordinates."""
    coordonnees, source = read_coordonnees()
    decoupage = read_decoupage()
    if decoupage:
        departements, communes = decoupage
    else:
        departements, communes = _departements_from_csv(coordonnees), _communes_from_csv(coordonnees)
    if departements_filter:
        wanted = set(departements_filter)
        departements = [d for d in departements if d["code"] in wanted]
        communes = [c for c in communes if c["departement"] in wanted]
    return coordonnees, source, departements, communes


def _save_departements_et_cafs(departements: list[dict]) -> None:
    Departement.objects.bulk_create(
        [Departement(code=d["code"], nom=d["nom"], type_liaison=d.get("typeLiaison", 0)) for d in departements],
        update_conflicts=True, unique_fields=["code"], update_fields=["nom", "type_liaison"],
    )
    Caf.objects.bulk_create(
        [
            Caf(
                departement_id=d["code"],
                nom=CAF_NOMS_PARTICULIERS.get(d["code"])
                or "Caf " + Departement(nom=d["nom"], type_liaison=d.get("typeLiaison", 0)).nom_avec_liaison,
                email_habilitations=CAF_EMAIL_PLACEHOLDER.format(code=d["code"].lower()),
            )
            for d in departements
        ],
        ignore_conflicts=True,
    )
    # A CAF without its page (created before the field, or by hand) gets the derived one.
    for caf in Caf.objects.filter(departement__in=[d["code"] for d in departements], page_caf_fr="") \
            .select_related("departement"):
        caf.page_caf_fr = page_caf_fr(caf.departement)
        caf.save(update_fields=["page_caf_fr"])


def _points_by_postal_code(coordonnees: dict[str, dict]) -> dict:
    # A commune restored after 2022 (a former commune déléguée) shares its postal code with the
    # commune it left: the nearest approximation we have until a newer coordinates file.
    point_by_postal_code = {}
    for row in coordonnees.values():
        for code_postal in row["ZIP_CODES"].split("-"):
            point_by_postal_code.setdefault(code_postal, _point(row))
    return point_by_postal_code


def _commune_point(c: dict, coordonnees: dict[str, dict], point_by_postal_code: dict, report: ImportReport):
    """Its own point, else that of a former code, else (reported) that of its postal code."""
    point = _point(coordonnees.get(c["code"]))
    for ancien in c.get("anciensCodes", []) if point is None else []:
        point = _point(coordonnees.get(ancien))
        if point:
            break
    if point is None:
        report.sans_point.append(c["code"])
        point = next(
            (point_by_postal_code[cp] for cp in c.get("codesPostaux") or [] if cp in point_by_postal_code),
            None,
        )
    return point


def _commune(c: dict, point) -> Commune:
    est_arrondissement = c.get("type", "arrondissement-municipal") == "arrondissement-municipal"
    return Commune(
        code_insee=c["code"],
        nom=c["nom"],
        nom_normalise=normalize(c["nom"]),
        departement_id=c["departement"],
        codes_postaux=" ".join(sorted(set(c.get("codesPostaux") or []))),
        population=c.get("population") or 0,
        point=point,
        commune_parente_id=c.get("commune") if est_arrondissement else None,
    )


def _save_communes(objects: list[Commune], progress: Callable[[int, int], None] | None) -> None:
    for start in range(0, len(objects), BATCH):
        Commune.objects.bulk_create(
            objects[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["code_insee"],
            update_fields=["nom", "nom_normalise", "departement", "codes_postaux", "population", "point", "commune_parente",
                           "etendue_km"],
        )
        if progress:
            progress(min(start + BATCH, len(objects)), len(objects))


def _save_anciens_codes(communes: list[dict]) -> None:
    """Former INSEE codes (communes merged since): lists made before the merger still carry them."""
    actuels = {c["code"] for c in communes}
    anciens = [CodeInseeAncien(code_insee=code, commune_id=c["code"])
               for c in communes for code in c.get("anciensCodes") or [] if code not in actuels]
    for start in range(0, len(anciens), BATCH):
        CodeInseeAncien.objects.bulk_create(anciens[start:start + BATCH], update_conflicts=True,
                                            unique_fields=["code_insee"], update_fields=["commune"])


def _set_etendues(objects: list[Commune]) -> None:
    """A commune whose nearest neighbour's point is further than half of geo.MAX_KM_FROM_COMMUNE reaches
    further than that distance (Guyane): its extent is twice that neighbour's distance. A grid keeps it linear;
    plain floats and a flat-earth distance (exact enough at these scales) keep it fast."""
    seuil = geo.MAX_KM_FROM_COMMUNE / 2
    pas = 0.25  # degrees: more than `seuil` km in every direction in France
    places = [(c, c.point.x, c.point.y) for c in objects if c.point is not None and not c.commune_parente_id]
    grille: dict[tuple[int, int], list[tuple]] = {}
    for place in places:
        grille.setdefault((int(place[1] // pas), int(place[2] // pas)), []).append(place)

    def km(a, b) -> float:
        dx = (b[1] - a[1]) * math.cos(math.radians(a[2])) * geo.EARTH_KM_PER_DEGREE
        return math.hypot(dx, (b[2] - a[2]) * geo.EARTH_KM_PER_DEGREE)

    for place in places:
        x, y = int(place[1] // pas), int(place[2] // pas)
        voisines = (v for dx in (-1, 0, 1) for dy in (-1, 0, 1) for v in grille.get((x + dx, y + dy), ()) if v is not place)
        if any(km(place, v) <= seuil for v in voisines):
            continue
        proche = min((km(place, v) for v in places if v is not place), default=None)
        if proche is not None and proche > seuil:
            place[0].etendue_km = round(2 * proche, 1)


def _set_chefs_lieux(departements: list[dict]) -> None:
    # The chef-lieu, once its commune exists (the CSV fallback does not know it).
    existing = set(Commune.objects.filter(code_insee__in=[d.get("chefLieu") for d in departements])
                   .values_list("code_insee", flat=True))
    for d in departements:
        if d.get("chefLieu") in existing:
            Departement.objects.filter(code=d["code"]).update(chef_lieu_id=d["chefLieu"])


def import_geographie(
    *, departements_filter: Iterable[str] | None = None, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    coordonnees, source, departements, communes = _read_geographie(departements_filter)
    report = ImportReport(source_coordonnees=source, sans_point=[])
    with transaction.atomic():
        _save_departements_et_cafs(departements)
        report.departements = len(departements)
        # Parents first: an arrondissement points to its commune.
        communes.sort(key=lambda c: (c.get("type") == "arrondissement-municipal" or bool(c.get("commune")), c["code"]))
        point_by_postal_code = _points_by_postal_code(coordonnees)
        objects = [_commune(c, _commune_point(c, coordonnees, point_by_postal_code, report)) for c in communes]
        _set_etendues(objects)
        _save_communes(objects, progress)
        _save_anciens_codes(communes)
        report.communes = len(objects)
        _set_chefs_lieux(departements)
    return report

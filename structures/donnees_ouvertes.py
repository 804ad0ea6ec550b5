"""The directory's establishments as open data, under the Licence Ouverte 2.0: a CSV, a GeoJSON and a file in
data·inclusion's `structures` schema, written each night (and by `publier_donnees_ouvertes`).

Assistants maternels are never in these files: they are persons, published by their consent on the site and
its API only, from which they vanish the moment they withdraw it; a file copied by others could not be
called back. A MAM is a place: it is in the files, without the persons who work there.

Rows are read by batches of ids and written as they come: memory stays flat whatever the size of the
directory. Each file is written beside the previous one and renamed when complete; `publication.json` names
the latest set, which the site serves (the folder is shared by the app servers, or served by nginx)."""

import csv
import datetime
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from .enums import Jour, Rubrique, TypeAccueil
from .models import Horaire, Structure

RUBRIQUES = (Rubrique.EAJE, Rubrique.MAM, Rubrique.RPE, Rubrique.LAEP, Rubrique.ALSH, Rubrique.LINF)
LOT = 2000
GARDER = 3  # publications kept on disk (the latest is served)
SOURCE_DATA_INCLUSION = "monenfant"
NOM_DATA_INCLUSION_MAX = 150
LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
INDEX = "publication.json"

COLONNES = (
    "pk", "nom", "rubrique", "type_accueil", "financement_psu", "organisme__nom", "siret", "adresse",
    "complement_adresse", "code_postal", "commune_id", "commune__nom", "commune__departement_id", "lat", "lon",
    "position_approximative", "telephone", "email", "site_web", "capacite", "age_min_mois", "age_max_mois",
    "accueil_handicap", "horaires_atypiques", "places_disponibles", "places_mises_a_jour_le", "avip",
    "avip_places", "modifie_le",
)


@dataclass(frozen=True)
class Champ:
    """One column of the CSV (and property of the GeoJSON), as /donnees/ describes it."""

    nom: str
    type: str
    description: str
    lire: Callable[[dict], object]


def _vide(valeur):
    return valeur if valeur not in ("", None) else None


def _date(valeur):
    if valeur is None:
        return None
    if isinstance(valeur, datetime.datetime):
        valeur = timezone.localtime(valeur).date()
    return valeur.isoformat()


# Labels looked up once, not through the enum for each of 300,000 rows.
RUBRIQUES_LIBELLES = dict(Rubrique.choices)
TYPES_ACCUEIL_LIBELLES = dict(TypeAccueil.choices)


CHAMPS = (
    Champ("id", "entier", "Identifiant de la fiche sur le site (stable).", lambda r: r["pk"]),
    Champ("nom", "texte", "Nom de l'établissement.", lambda r: r["nom"]),
    Champ("rubrique", "code", "EAJE, MAM, RPE, LAEP, ALSH ou LINF (voir les libellés).", lambda r: r["rubrique"]),
    Champ("rubrique_libelle", "texte", "Libellé de la rubrique.", lambda r: RUBRIQUES_LIBELLES[r["rubrique"]]),
    Champ("type_accueil", "code", "Pour un EAJE : collectif, familial, parental, micro_creche, multi_accueil, "
          "halte_garderie, personnel… ; vide sinon.", lambda r: _vide(r["type_accueil"])),
    Champ("type_accueil_libelle", "texte", "Libellé du type d'accueil.",
          lambda r: TYPES_ACCUEIL_LIBELLES.get(r["type_accueil"])),
    Champ("financement_psu", "booléen", "EAJE financé par la prestation de service unique (tarif selon les "
          "ressources de la famille, barème de la CNAF).", lambda r: r["financement_psu"]),
    Champ("organisme", "texte", "Organisme gestionnaire.", lambda r: r["organisme__nom"]),
    Champ("siret", "texte", "SIRET de l'établissement, quand il est connu (14 chiffres).", lambda r: _vide(r["siret"])),
    Champ("adresse", "texte", "Numéro et voie.", lambda r: r["adresse"]),
    Champ("complement_adresse", "texte", "Complément d'adresse.", lambda r: _vide(r["complement_adresse"])),
    Champ("code_postal", "texte", "Code postal (5 chiffres).", lambda r: r["code_postal"]),
    Champ("commune", "texte", "Nom de la commune.", lambda r: r["commune__nom"]),
    Champ("code_insee", "texte", "Code officiel géographique de la commune (INSEE).", lambda r: r["commune_id"]),
    Champ("departement", "texte", "Code du département.", lambda r: r["commune__departement_id"]),
    Champ("latitude", "nombre décimal", "Latitude WGS 84 (EPSG:4326).", lambda r: round(r["lat"], 6)),
    Champ("longitude", "nombre décimal", "Longitude WGS 84 (EPSG:4326).", lambda r: round(r["lon"], 6)),
    Champ("position_approximative", "booléen", "La position est le centre de la commune : l'adresse n'a pas été "
          "trouvée avec assez de certitude.", lambda r: r["position_approximative"]),
    Champ("telephone", "texte", "Téléphone de l'établissement.", lambda r: _vide(r["telephone"])),
    Champ("courriel", "texte", "Courriel de l'établissement.", lambda r: _vide(r["email"])),
    Champ("site_web", "texte", "Site internet.", lambda r: _vide(r["site_web"])),
    Champ("capacite", "entier", "Nombre de places (agrément).", lambda r: r["capacite"]),
    Champ("age_min_mois", "entier", "Âge minimum accueilli, en mois.", lambda r: r["age_min_mois"]),
    Champ("age_max_mois", "entier", "Âge maximum accueilli, en mois.", lambda r: r["age_max_mois"]),
    Champ("accueil_handicap", "booléen", "Accueil adapté aux enfants en situation de handicap.",
          lambda r: r["accueil_handicap"]),
    Champ("horaires_atypiques", "booléen", "Accueil en horaires atypiques (tôt, tard, nuit, week-end).",
          lambda r: r["horaires_atypiques"]),
    Champ("horaires", "texte", "Horaires d'ouverture au format OpenStreetMap opening_hours "
          "(« Mo-Fr 07:30-18:30 »).", lambda r: r["horaires"]),
    Champ("places_disponibles", "entier", "Places disponibles déclarées par l'établissement.",
          lambda r: r["places_disponibles"]),
    Champ("places_mises_a_jour_le", "date", "Date de la dernière déclaration des places disponibles.",
          lambda r: _date(r["places_mises_a_jour_le"])),
    Champ("avip", "booléen", "Crèche à vocation d'insertion professionnelle, à la date du fichier.",
          lambda r: r["avip"]),
    Champ("avip_places", "entier", "Places réservées aux parents en insertion (crèche AVIP).",
          lambda r: r["avip_places"] if r["avip"] else None),
    Champ("url", "texte", "Adresse de la fiche sur le site.", lambda r: r["url"]),
    Champ("date_maj", "date", "Date de la dernière modification de la fiche.", lambda r: _date(r["modifie_le"])),
)


@dataclass(frozen=True)
class Format:
    code: str
    extension: str
    titre: str
    type_mime: str
    ecrire: Callable
    type_fichier: str


def horaires_osm(horaires: list[tuple[int, datetime.time | str, datetime.time | str]]) -> str:
    """[(jour, ouverture, fermeture)] → "Mo-Fr 07:30-18:30; Sa 08:00-12:00": consecutive days with the same
    slots share a range."""
    par_jour: dict[int, list[str]] = {}
    for jour, ouverture, fermeture in sorted(horaires):
        par_jour.setdefault(jour, []).append(f"{str(ouverture)[:5]}-{str(fermeture)[:5]}")
    groupes: list[list] = []  # [premier jour, dernier jour, créneaux]
    for jour in sorted(par_jour):
        creneaux = ",".join(par_jour[jour])
        if groupes and groupes[-1][1] == jour - 1 and groupes[-1][2] == creneaux:
            groupes[-1][1] = jour
        else:
            groupes.append([jour, jour, creneaux])
    nom = dict(zip(Jour.values, ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"), strict=True))
    return "; ".join(f"{nom[a]}{'-' + nom[b] if b != a else ''} {c}" for a, b, c in groupes)


def lignes() -> Iterator[dict]:
    """The published establishments of the files, by batches of ids, with their opening hours."""
    # The AVIP label on the day of the file.
    structures = (Structure.objects.published().filter(rubrique__in=RUBRIQUES).avec_avip(timezone.localdate())
                  .order_by("pk"))
    # Once per file, the address of a fiche: reverse() costs as much as the rest of a row.
    modele_url = settings.SITE_URL + reverse("structures:fiche", args=[987654321]).replace("987654321", "{}")
    # Most places share their hours: each set is written once.
    osm: dict[tuple, str | None] = {}
    dernier = 0
    while True:
        lot = list(structures.filter(pk__gt=dernier).values(*COLONNES)[:LOT])
        if not lot:
            return
        horaires: dict[int, list] = {}
        for structure_id, jour, ouverture, fermeture in _horaires([r["pk"] for r in lot]):
            horaires.setdefault(structure_id, []).append((jour, str(ouverture)[:5], str(fermeture)[:5]))
        for ligne in lot:
            cle = tuple(horaires.get(ligne["pk"], ()))
            if cle not in osm:
                osm[cle] = horaires_osm(list(cle)) or None
            ligne["horaires"] = osm[cle]
            ligne["url"] = modele_url.format(ligne["pk"])
            yield ligne
        dernier = lot[-1]["pk"]


def _horaires(pks: list[int]) -> list[tuple]:
    """The hours of a batch as the database gives them (text on SQLite, time on PostgreSQL): converting
    1.5 million times to Python's time costs more than writing them."""
    table = connection.ops.quote_name(Horaire._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT structure_id, jour, ouverture, fermeture FROM {table} "  # noqa: S608 (model's table)
                       f"WHERE structure_id IN ({', '.join(['%s'] * len(pks))}) ORDER BY jour, ouverture", pks)
        return cursor.fetchall()


def _valeurs(ligne: dict) -> dict:
    return {champ.nom: champ.lire(ligne) for champ in CHAMPS}


def ecrire_csv(sortie, rows: Iterator[dict]) -> int:
    """UTF-8 without BOM, comma-separated, header of CHAMPS; booleans true/false, dates ISO, empty for none."""
    writer = csv.writer(sortie, lineterminator="\r\n")
    writer.writerow([c.nom for c in CHAMPS])
    n = 0
    for ligne in rows:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v)
                         for v in _valeurs(ligne).values()])
        n += 1
    return n


def _dumps(objet) -> str:
    return json.dumps(objet, ensure_ascii=False, separators=(",", ":"))


def ecrire_geojson(sortie, rows: Iterator[dict]) -> int:
    """A FeatureCollection (RFC 7946), one feature a line; the properties are the CSV's columns."""
    sortie.write('{"type":"FeatureCollection","features":[\n')
    n = 0
    for ligne in rows:
        valeurs = _valeurs(ligne)
        geometrie = {"type": "Point", "coordinates": [valeurs.pop("longitude"), valeurs.pop("latitude")]}
        sortie.write(("," if n else "") + _dumps({"type": "Feature", "geometry": geometrie, "properties": valeurs}) + "\n")
        n += 1
    sortie.write("]}\n")
    return n


def data_inclusion(ligne: dict) -> dict:
    """A row in data·inclusion's `structures` schema (v1)."""
    valeurs = _valeurs(ligne)
    nom = valeurs["nom"]
    if len(nom) > NOM_DATA_INCLUSION_MAX:
        nom = nom[:NOM_DATA_INCLUSION_MAX - 1].rstrip() + "…"
    description = valeurs["rubrique_libelle"]
    if valeurs["type_accueil_libelle"]:
        description += f" : {valeurs['type_accueil_libelle'].lower()}"
    if valeurs["capacite"]:
        description += f", {valeurs['capacite']} place{'s' if valeurs['capacite'] > 1 else ''}"
    return {
        "source": SOURCE_DATA_INCLUSION, "id": f"{SOURCE_DATA_INCLUSION}--{valeurs['id']}",
        "nom": nom.rstrip("."), "date_maj": valeurs["date_maj"], "description": description + ".",
        "lien_source": valeurs["url"], "siret": valeurs["siret"], "commune": valeurs["commune"],
        "code_postal": valeurs["code_postal"], "code_insee": valeurs["code_insee"], "adresse": valeurs["adresse"],
        "complement_adresse": valeurs["complement_adresse"], "longitude": valeurs["longitude"],
        "latitude": valeurs["latitude"], "telephone": valeurs["telephone"], "courriel": valeurs["courriel"],
        "site_web": valeurs["site_web"], "horaires_accueil": valeurs["horaires"],
        "reseaux_porteurs": ["creches-avip"] if valeurs["avip"] else None,
    }


def ecrire_data_inclusion(sortie, rows: Iterator[dict]) -> int:
    """A JSON array of structures, one a line."""
    sortie.write("[\n")
    n = 0
    for ligne in rows:
        sortie.write(("," if n else "") + _dumps(data_inclusion(ligne)) + "\n")
        n += 1
    sortie.write("]\n")
    return n


FORMATS = {
    "csv": Format("csv", "csv", "CSV", "text/csv; charset=utf-8", ecrire_csv, "CSV"),
    "geojson": Format("geojson", "geojson", "GeoJSON", "application/geo+json", ecrire_geojson, "GeoJSON"),
    "data-inclusion": Format("data-inclusion", "data-inclusion.json", "data·inclusion (schéma structures)",
                             "application/json", ecrire_data_inclusion, "JSON"),
}


# The code of a format by the file name of its address on the site (/donnees/annuaire.<extension>).
PAR_NOM = {f"annuaire.{format_.extension}": code for code, format_ in FORMATS.items()}


def dossier() -> Path:
    return Path(settings.DONNEES_OUVERTES_DIR)


def nom_de_fichier(format_: Format, le: datetime.date) -> str:
    return f"annuaire-monenfant-{le.isoformat()}.{format_.extension}"


def ecrire(format_: Format, chemin: Path) -> int:
    """One file, written beside its final name and renamed once complete (a reader never sees half of it)."""
    provisoire = chemin.with_name(chemin.name + ".partiel")
    with open(provisoire, "w", encoding="utf-8", newline="") as sortie:
        n = format_.ecrire(sortie, lignes())
    os.replace(provisoire, chemin)
    return n


def _sha256(chemin: Path) -> str:
    empreinte = hashlib.sha256()
    with open(chemin, "rb") as fichier:
        while bloc := fichier.read(1 << 20):
            empreinte.update(bloc)
    return empreinte.hexdigest()


def publier(formats=tuple(FORMATS)) -> dict:
    """Writes today's files, then the index that makes them the latest; keeps the last GARDER days."""
    racine = dossier()
    racine.mkdir(parents=True, exist_ok=True)
    le = timezone.localdate()
    fichiers = {}
    for code in formats:
        format_ = FORMATS[code]
        chemin = racine / nom_de_fichier(format_, le)
        fiches = ecrire(format_, chemin)
        fichiers[code] = {"nom": chemin.name, "octets": chemin.stat().st_size, "sha256": _sha256(chemin),
                          "fiches": fiches}
    publication = {"date": le.isoformat(), "publie_le": timezone.now().isoformat(timespec="seconds"),
                   "licence": LICENCE, "fichiers": fichiers}
    provisoire = racine / (INDEX + ".partiel")
    provisoire.write_text(json.dumps(publication, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(provisoire, racine / INDEX)
    _nettoyer(racine)
    return publication


def _nettoyer(racine: Path) -> None:
    dates = sorted({p.name[len("annuaire-monenfant-"):][:10] for p in racine.glob("annuaire-monenfant-*")}, reverse=True)
    for ancienne in dates[GARDER:]:
        for chemin in racine.glob(f"annuaire-monenfant-{ancienne}.*"):
            chemin.unlink(missing_ok=True)


def derniere_publication() -> dict | None:
    """The index of the latest files, or None before the first night."""
    try:
        return json.loads((dossier() / INDEX).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def fichier_publie(code: str) -> Path | None:
    """The latest file of a format, when there is one on disk."""
    publication = derniere_publication()
    if publication is None or code not in publication.get("fichiers", {}):
        return None
    chemin = dossier() / Path(publication["fichiers"][code]["nom"]).name
    return chemin if chemin.is_file() else None

"""A partner's file as numbered rows of text: CSV (separator and encoding detected), XLSX, GeoJSON, or a
data·inclusion `structures` file. Numbers are those a person sees: a spreadsheet's row, a feature's rank."""

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from monenfant.validators import without_control_characters

FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "geojson": "GeoJSON", "data_inclusion": "data·inclusion (JSON)"}
ENCODAGES = ("utf-8-sig", "cp1252")


class FichierIllisible(ValueError):
    """The file cannot be read at all (not one row is usable): said to the person in French."""


@dataclass(slots=True)
class Ligne:
    numero: int
    valeurs: dict[str, str]
    # (lon, lat) when the file carries a geometry (GeoJSON).
    geometrie: tuple[float, float] | None = None
    colonnes_en_trop: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Fichier:
    format: str
    colonnes: list[str]
    lignes: Iterator[Ligne]
    encodage: str = ""
    separateur: str = ""


def lire(nom: str, contenu: bytes) -> Fichier:
    """Raises FichierIllisible with the reason."""
    extension = nom.rsplit(".", 1)[-1].lower() if "." in nom else ""
    if contenu.startswith(b"PK\x03\x04") or extension == "xlsx":
        return _lire_xlsx(contenu)
    if extension in ("json", "geojson") or contenu.lstrip()[:1] in (b"{", b"["):
        return _lire_json(contenu)
    return _lire_csv(contenu)


def decoder(contenu: bytes) -> tuple[str, str]:
    """UTF-8 (with or without its BOM), else Windows-1252: the encodings spreadsheets write."""
    for encodage in ENCODAGES:
        try:
            return contenu.decode(encodage), encodage
        except UnicodeDecodeError:
            continue
    raise FichierIllisible("Encodage du fichier non reconnu : enregistrez-le en UTF-8.")


def _lire_csv(contenu: bytes) -> Fichier:
    texte, encodage = decoder(contenu)
    if "\x00" in texte:
        raise FichierIllisible("Ce fichier n'est pas un CSV (il contient des caractères binaires).")
    echantillon = texte[:20000]
    try:
        separateur = csv.Sniffer().sniff(echantillon.split("\n", 1)[0], delimiters=";,\t|").delimiter
    except csv.Error:
        separateur = ";"
    reader = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    try:
        entete = next(reader)
    except StopIteration:
        raise FichierIllisible("Le fichier est vide.") from None
    colonnes = _colonnes(entete)

    def lignes() -> Iterator[Ligne]:
        for index, cellules in enumerate(reader):
            yield _ligne(index + 2, colonnes, cellules)

    return Fichier("csv", colonnes, lignes(), encodage=encodage, separateur=separateur)


def _lire_xlsx(contenu: bytes) -> Fichier:
    import openpyxl  # only imports of spreadsheets need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise FichierIllisible("Ce fichier Excel ne peut pas être lu : enregistrez-le au format XLSX.") from error
    feuille = classeur.worksheets[0]
    rangees = feuille.iter_rows(values_only=True)
    try:
        colonnes = _colonnes([_cellule(v) for v in next(rangees)])
    except StopIteration:
        raise FichierIllisible("La première feuille du classeur est vide.") from None

    def lignes() -> Iterator[Ligne]:
        for index, rangee in enumerate(rangees):
            yield _ligne(index + 2, colonnes, [_cellule(v) for v in rangee])
        classeur.close()

    return Fichier("xlsx", colonnes, lignes())


def _lire_json(contenu: bytes) -> Fichier:
    texte, encodage = decoder(contenu)
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as error:
        raise FichierIllisible(f"JSON invalide (ligne {error.lineno}, colonne {error.colno}).") from None
    if isinstance(donnees, dict) and donnees.get("type") == "FeatureCollection":
        return _geojson(donnees.get("features"), encodage)
    if isinstance(donnees, list) and all(isinstance(d, dict) for d in donnees):
        return _data_inclusion(donnees, encodage)
    raise FichierIllisible("Ce JSON n'est ni un GeoJSON (FeatureCollection) ni une liste de structures data·inclusion.")


def _data_inclusion(structures: list[dict], encodage: str) -> Fichier:
    """data·inclusion's `structures`: a list of objects; `reseaux_porteurs` (v1) or `typologie` (v0) in one
    column that the built-in mapping reads."""
    from .correspondance import CHAMPS_DATA_INCLUSION, COLONNE_TYPOLOGIE_DATA_INCLUSION

    # Every field of the schema is optional but the first ones: a column absent from every row is empty.
    colonnes = sorted({k for d in structures for k in d} | {COLONNE_TYPOLOGIE_DATA_INCLUSION} | set(CHAMPS_DATA_INCLUSION))

    def lignes() -> Iterator[Ligne]:
        for index, structure in enumerate(structures):
            valeurs = {k: _cellule(structure.get(k)) for k in colonnes}
            porteurs = structure.get("reseaux_porteurs") or structure.get("typologie") or []
            porteurs = porteurs if isinstance(porteurs, list) else [porteurs]
            valeurs[COLONNE_TYPOLOGIE_DATA_INCLUSION] = ", ".join(_cellule(p) for p in porteurs)
            yield Ligne(index + 1, valeurs)

    return Fichier("data_inclusion", colonnes, lignes(), encodage=encodage)


def _geojson(features, encodage: str) -> Fichier:
    if not isinstance(features, list):
        raise FichierIllisible("Ce GeoJSON n'a pas de liste « features ».")
    colonnes = sorted({k for f in features if isinstance(f, dict) for k in (f.get("properties") or {})})

    def lignes() -> Iterator[Ligne]:
        for index, feature in enumerate(features):
            properties = feature.get("properties") if isinstance(feature, dict) else None
            ligne = Ligne(index + 1, {k: _cellule((properties or {}).get(k)) for k in colonnes})
            ligne.geometrie = _point(feature.get("geometry") if isinstance(feature, dict) else None)
            yield ligne

    return Fichier("geojson", colonnes, lignes(), encodage=encodage)


def _point(geometrie) -> tuple[float, float] | None:
    if not isinstance(geometrie, dict) or geometrie.get("type") != "Point":
        return None
    coordonnees = geometrie.get("coordinates")
    if not isinstance(coordonnees, list) or len(coordonnees) < 2:
        return None
    try:
        lon, lat = float(coordonnees[0]), float(coordonnees[1])
    except (TypeError, ValueError):
        return None
    return (lon, lat) if math.isfinite(lon) and math.isfinite(lat) else None


def _colonnes(entete: list[str]) -> list[str]:
    """Header cells, trimmed; an empty or repeated one gets a name the report can show."""
    colonnes, vues = [], set()
    for index, nom in enumerate(entete):
        nom = without_control_characters(str(nom or "")).strip() or f"colonne {index + 1}"
        while nom in vues:
            nom += " (bis)"
        vues.add(nom)
        colonnes.append(nom)
    if not any(not c.startswith("colonne ") for c in colonnes):
        raise FichierIllisible("La première ligne doit nommer les colonnes.")
    return colonnes


def _ligne(numero: int, colonnes: list[str], cellules: list[str]) -> Ligne:
    valeurs = {c: without_control_characters(cellules[i]).strip() if i < len(cellules) else "" for i, c in enumerate(colonnes)}
    en_trop = [v for v in cellules[len(colonnes):] if v and v.strip()]
    return Ligne(numero, valeurs, colonnes_en_trop=en_trop)


def _cellule(valeur) -> str:
    """A cell as text: 43000.0 (a spreadsheet's number) is "43000"; a date, its ISO form."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if hasattr(valeur, "isoformat"):
        return valeur.isoformat()
    if isinstance(valeur, (dict, list)):
        return json.dumps(valeur, ensure_ascii=False)
    return str(valeur)

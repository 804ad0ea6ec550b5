"""One row of a partner's list → the values of a fiche, or the reason it cannot be one.

Nothing here writes: `service` decides what becomes of the row (created, updated, unchanged, merged,
rejected)."""

import math
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from .. import geo
from ..enums import Rubrique
from ..models import telephone_validator
from ..text import de_commune, normalize
from .communes import Rejet, ResolveurCommunes
from .correspondance import POSITION_GEOMETRIE, RUBRIQUES_IMPORTABLES, Correspondance
from .lecture import Ligne

# The fiche's fields an import writes (and later compares with what a person changed since).
CHAMPS_IMPORTES = ("rubrique", "type_accueil", "nom", "adresse", "complement_adresse", "code_postal", "commune",
                   "telephone", "email", "site_web", "capacite", "siret", "organisme", "point")
NOM_MAX = 200
ADRESSE_MAX = 255


@dataclass(slots=True)
class FicheLue:
    numero: int
    valeurs: dict
    identifiant: str = ""
    # (lon, lat) read from the file, else found by the geocoder; None: to geocode.
    point: tuple[float, float] | None = None
    geocodage_score: float | None = None
    geocodage_type: str = ""
    position_approximative: bool = False
    avertissements: list[str] = field(default_factory=list)

    @property
    def commune(self):
        return self.valeurs["commune"]

    def cles(self) -> list[tuple]:
        """The keys by which two rows, or a row and a fiche, are the same structure."""
        cles = []
        if self.identifiant:
            cles.append(("identifiant", self.identifiant))
        if self.valeurs["siret"]:
            cles.append(("siret", self.valeurs["siret"]))
        cles.append(cle_nom_adresse(self.valeurs["nom"], self.valeurs["adresse"], self.commune.code_insee))
        return cles


def cle_nom_adresse(nom: str, adresse: str, code_insee: str) -> tuple:
    return ("nom", normalize(nom), normalize(adresse), code_insee)


def lire_ligne(ligne: Ligne, correspondance: Correspondance, communes: ResolveurCommunes,
               departements: set[str] | None) -> FicheLue:
    """Raises Rejet with the reason."""
    v = ligne.valeurs
    if not any(v.values()):
        raise Rejet("Ligne vide.")
    champ = {nom: v.get(colonne, "") for nom, colonne in correspondance.champs.items()}
    rubrique, inconnue = correspondance.rubrique.lire(v)
    if not rubrique:
        colonne = correspondance.rubrique.colonne
        raise Rejet(f"Rubrique « {inconnue[:60]} » (colonne {colonne}) absente de la correspondance."
                    if inconnue else f"Rubrique manquante (colonne {colonne}).")
    if rubrique not in RUBRIQUES_IMPORTABLES:
        raise Rejet(f"La rubrique {Rubrique(rubrique).label} ne s'importe pas.")
    type_accueil = ""
    if rubrique == Rubrique.EAJE:
        type_accueil = _type_accueil(v, correspondance)
    nom = champ.get("nom", "")
    if not nom:
        raise Rejet("Nom manquant.")
    if len(nom) > NOM_MAX:
        raise Rejet(f"Nom de plus de {NOM_MAX} caractères.")
    lieu = communes.resoudre(code_insee=champ.get("code_insee", ""), nom=champ.get("commune", ""),
                             code_postal=champ.get("code_postal", ""))
    commune = lieu.commune
    if departements is not None and commune.departement_id not in departements:
        raise Rejet(f"{commune.nom} est dans le département {commune.departement_id}, hors du territoire de cet import "
                    f"({', '.join(sorted(departements))}).")
    adresse = champ.get("adresse", "")
    if not adresse:
        raise Rejet("Adresse manquante.")
    fiche = FicheLue(
        numero=ligne.numero, identifiant=v.get(correspondance.identifiant, "")[:100] if correspondance.identifiant else "",
        avertissements=list(lieu.avertissements),
        valeurs={
            "rubrique": rubrique, "type_accueil": type_accueil, "nom": nom, "adresse": adresse[:ADRESSE_MAX],
            "complement_adresse": champ.get("complement_adresse", "")[:ADRESSE_MAX], "code_postal": lieu.code_postal,
            "commune": commune, "organisme": champ.get("organisme", "")[:200],
        },
    )
    fiche.valeurs["telephone"] = _telephone(champ.get("telephone", ""), fiche.avertissements)
    fiche.valeurs["email"] = _courriel(champ.get("courriel", ""), fiche.avertissements)
    fiche.valeurs["site_web"] = _site_web(champ.get("site_web", ""), fiche.avertissements)
    fiche.valeurs["capacite"] = _capacite(champ.get("capacite", ""), fiche.avertissements)
    fiche.valeurs["siret"] = _siret(champ.get("siret", ""), fiche.avertissements)
    _position(fiche, ligne, correspondance)
    return fiche


def verifier_position(fiche: FicheLue) -> None:
    """A point far from its commune is a wrong row (a shifted column, a homonym geocoded elsewhere)."""
    lon, lat = fiche.point
    if not geo.lonlat_in_france(lon, lat):
        raise Rejet("La position est en dehors de la France (métropole et outre-mer).")
    commune = fiche.commune
    if commune.centre is not None:
        km = geo.haversine_km_lonlat(lon, lat, *commune.centre)
        if km > commune.distance_max_km:
            raise Rejet(f"La position est à {km:.0f} km {de_commune(commune.nom)} : vérifiez l'adresse ou la commune.")


def _type_accueil(v: dict, correspondance: Correspondance) -> str:
    if correspondance.type_accueil is None:
        raise Rejet("Type d'accueil de la crèche manquant : la correspondance n'a pas de « type_accueil ».")
    code, inconnue = correspondance.type_accueil.lire(v)
    if not code:
        raise Rejet(f"Type d'accueil « {inconnue[:60]} » (colonne {correspondance.type_accueil.colonne}) absent de "
                    "la correspondance." if inconnue else "Type d'accueil de la crèche manquant.")
    return code


def _position(fiche: FicheLue, ligne: Ligne, correspondance: Correspondance) -> None:
    position = correspondance.position
    if position.mode == POSITION_GEOMETRIE:
        fiche.point = ligne.geometrie
    elif position.lat:
        lat, lon = _nombre(ligne.valeurs.get(position.lat, "")), _nombre(ligne.valeurs.get(position.lon, ""))
        if lat is not None and lon is not None:
            fiche.point = (lon, lat)
            if position.score:
                fiche.geocodage_score = _nombre(ligne.valeurs.get(position.score, ""))
    if fiche.point is None:
        return
    from ..geocoding import MIN_SCORE

    if fiche.geocodage_score is not None and fiche.geocodage_score < MIN_SCORE:
        fiche.avertissements.append(f"Position du fichier peu sûre (score {fiche.geocodage_score:.2f}) : adresse géocodée.")
        fiche.point = None
        return
    verifier_position(fiche)


def _nombre(texte: str) -> float | None:
    try:
        nombre = float(texte.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None
    return nombre if math.isfinite(nombre) else None


def _telephone(texte: str, avertissements: list[str]) -> str:
    if not texte:
        return ""
    chiffres = re.sub(r"[^\d+]", "", texte)
    if re.fullmatch(r"0\d{9}", chiffres):
        return " ".join(chiffres[i:i + 2] for i in range(0, 10, 2))
    try:
        telephone_validator(texte)
    except ValidationError:
        avertissements.append(f"Téléphone « {texte[:30]} » illisible : non repris.")
        return ""
    return texte[:20]


def _courriel(texte: str, avertissements: list[str]) -> str:
    if not texte:
        return ""
    try:
        validate_email(texte)
    except ValidationError:
        avertissements.append(f"Courriel « {texte[:60]} » invalide : non repris.")
        return ""
    return texte[:254]


def _site_web(texte: str, avertissements: list[str]) -> str:
    if not texte:
        return ""
    url = texte if re.match(r"^https?://", texte, re.IGNORECASE) else "https://" + texte
    try:
        URLValidator()(url)
    except ValidationError:
        avertissements.append(f"Site « {texte[:60]} » invalide : non repris.")
        return ""
    return url[:200]


def _capacite(texte: str, avertissements: list[str]) -> int | None:
    if not texte:
        return None
    nombre = _nombre(texte)
    if nombre is None or nombre < 0 or not nombre.is_integer() or nombre > 10000:
        avertissements.append(f"Capacité « {texte[:20]} » illisible : non reprise.")
        return None
    return int(nombre)


def _siret(texte: str, avertissements: list[str]) -> str:
    if not texte:
        return ""
    chiffres = texte.replace(" ", "").replace(".", "")
    if not re.fullmatch(r"\d{14}", chiffres):
        avertissements.append(f"SIRET « {texte[:20]} » invalide (14 chiffres) : non repris.")
        return ""
    return chiffres

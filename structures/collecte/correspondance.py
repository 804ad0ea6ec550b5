"""The mapping file: what each column of a partner's list means for a fiche (README "Importer des fiches").

    {"source": "cd43-creches", "identifiant": "ID",
     "rubrique": {"colonne": "CATEGORIE", "valeurs": {"MA": "EAJE", "MAM": "MAM"}},
     "type_accueil": {"colonne": "CATEGORIE", "valeurs": {"MA": "multi_accueil"}},
     "champs": {"nom": "NOM", "adresse": "ADRESSE", "code_postal": "CP", "commune": "VILLE"},
     "position": {"lat": "LAT", "lon": "LON", "score": "SCORE"}}

A value absent from a `valeurs` map rejects its row by name: nothing is guessed.
"""

import re
from dataclasses import dataclass, field

from ..enums import Rubrique, TypeAccueil
from ..text import normalize

CHAMPS = ("nom", "adresse", "complement_adresse", "code_postal", "commune", "code_insee", "telephone", "courriel",
          "site_web", "capacite", "organisme", "siret")
# What an import may create: the others are persons (ASSMAT, who consent on their own) or come with a
# convention (LINF).
RUBRIQUES_IMPORTABLES = (Rubrique.EAJE, Rubrique.RPE, Rubrique.LAEP, Rubrique.ALSH, Rubrique.MAM)
POSITION_GEOMETRIE = "geometrie"
POSITION_ADRESSE = "adresse"
SOURCE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class CorrespondanceInvalide(ValueError):
    def __init__(self, erreurs: list[str]):
        super().__init__(" ; ".join(erreurs))
        self.erreurs = erreurs


@dataclass(frozen=True)
class Valeur:
    """A fixed code, or a column whose values are mapped to codes."""

    code: str = ""
    colonne: str = ""
    valeurs: dict[str, str] = field(default_factory=dict)
    # The cell lists several values ("a, b"): the first the map knows decides.
    multiple: bool = False

    def lire(self, valeurs_ligne: dict[str, str]) -> tuple[str, str]:
        """(code, "") or ("", the value found, which the map does not know)."""
        if self.code:
            return self.code, ""
        brute = valeurs_ligne.get(self.colonne, "")
        for element in brute.split(", ") if self.multiple else [brute]:
            if element in self.valeurs:
                return self.valeurs[element], ""
            # Case, accents and spaces do not make another value ("Micro-crèche", "micro creche").
            if code := self._normalisees().get(normalize(element)):
                return code, ""
        return "", brute

    def _normalisees(self) -> dict[str, str]:
        return {normalize(k): v for k, v in self.valeurs.items()}


@dataclass(frozen=True)
class Position:
    mode: str  # POSITION_GEOMETRIE, POSITION_ADRESSE, or "colonnes"
    lat: str = ""
    lon: str = ""
    score: str = ""


@dataclass(frozen=True)
class Correspondance:
    source: str
    rubrique: Valeur
    champs: dict[str, str]
    position: Position
    identifiant: str = ""
    type_accueil: Valeur | None = None

    @classmethod
    def depuis_json(cls, donnees) -> "Correspondance":
        """Raises CorrespondanceInvalide with every problem found, in French."""
        erreurs = []
        if not isinstance(donnees, dict):
            raise CorrespondanceInvalide(["La correspondance est un objet JSON ({\"source\": …, \"champs\": …})."])
        inconnues = set(donnees) - {"source", "identifiant", "rubrique", "type_accueil", "champs", "position"}
        if inconnues:
            erreurs.append(f"Clés inconnues : {', '.join(sorted(map(str, inconnues)))}.")
        source = donnees.get("source")
        if not isinstance(source, str) or not SOURCE_RE.match(source):
            erreurs.append("« source » est un code court : lettres minuscules, chiffres, - et _ (40 au plus).")
        identifiant = donnees.get("identifiant") or ""
        if not isinstance(identifiant, str):
            erreurs.append("« identifiant » est le nom d'une colonne, ou null.")
            identifiant = ""
        rubrique = _valeur("rubrique", donnees.get("rubrique"), [r.value for r in RUBRIQUES_IMPORTABLES], erreurs)
        type_accueil = None
        if donnees.get("type_accueil") is not None:
            type_accueil = _valeur("type_accueil", donnees["type_accueil"], TypeAccueil.values, erreurs)
        champs = donnees.get("champs")
        if not isinstance(champs, dict) or not all(isinstance(v, str) and v for v in champs.values()):
            erreurs.append("« champs » associe nos champs aux colonnes du fichier : {\"nom\": \"NOM\", …}.")
            champs = {}
        if inconnus := set(champs) - set(CHAMPS):
            erreurs.append(f"Champs inconnus : {', '.join(sorted(inconnus))}. Champs possibles : {', '.join(CHAMPS)}.")
        if "nom" not in champs:
            erreurs.append("La colonne du nom (« champs » → « nom ») est nécessaire.")
        if "commune" not in champs and "code_insee" not in champs:
            erreurs.append("Il faut la colonne de la commune ou celle du code INSEE.")
        position = _position(donnees.get("position"), champs, erreurs)
        if erreurs:
            raise CorrespondanceInvalide(erreurs)
        return cls(source=source, identifiant=identifiant, rubrique=rubrique, type_accueil=type_accueil,
                   champs=dict(champs), position=position)

    def colonnes_utilisees(self) -> set[str]:
        colonnes = set(self.champs.values())
        for valeur in (self.rubrique, self.type_accueil):
            if valeur is not None and valeur.colonne:
                colonnes.add(valeur.colonne)
        colonnes |= {c for c in (self.identifiant, self.position.lat, self.position.lon, self.position.score) if c}
        return colonnes

    def colonnes_absentes(self, colonnes: list[str]) -> list[str]:
        return sorted(self.colonnes_utilisees() - set(colonnes))


def _valeur(nom: str, donnee, codes: list[str], erreurs: list[str]) -> Valeur:
    if isinstance(donnee, str):
        if donnee not in codes:
            erreurs.append(f"« {nom} » : code inconnu « {donnee} ». Codes possibles : {', '.join(codes)}.")
        return Valeur(code=donnee)
    if isinstance(donnee, dict) and isinstance(donnee.get("colonne"), str) and isinstance(donnee.get("valeurs"), dict):
        mauvais = sorted({str(v) for v in donnee["valeurs"].values() if v not in codes})
        if mauvais:
            erreurs.append(f"« {nom} » : codes inconnus {', '.join(mauvais)}. Codes possibles : {', '.join(codes)}.")
        return Valeur(colonne=donnee["colonne"], valeurs={str(k): str(v) for k, v in donnee["valeurs"].items()})
    erreurs.append(f"« {nom} » est un code ({', '.join(codes)}) ou {{\"colonne\": …, \"valeurs\": {{…}}}}.")
    return Valeur()


def _position(donnee, champs: dict, erreurs: list[str]) -> Position:
    if donnee == POSITION_GEOMETRIE:
        return Position(POSITION_GEOMETRIE)
    if donnee == POSITION_ADRESSE or donnee is None:
        if "adresse" not in champs:
            erreurs.append("Pour géocoder les adresses, la colonne « adresse » est nécessaire.")
        return Position(POSITION_ADRESSE)
    if isinstance(donnee, dict) and isinstance(donnee.get("lat"), str) and isinstance(donnee.get("lon"), str):
        score = donnee.get("score") or ""
        return Position("colonnes", lat=donnee["lat"], lon=donnee["lon"], score=score if isinstance(score, str) else "")
    erreurs.append("« position » vaut \"geometrie\" (GeoJSON), \"adresse\" (géocodage) ou {\"lat\": …, \"lon\": …}.")
    return Position(POSITION_ADRESSE)


# data·inclusion's `structures` schema (v1) says who carries a structure (`reseaux_porteurs`; v0 files said
# `typologie`), seldom what it is: these are the values that name a childcare place, with the rubrique and
# the type they give (README "Importer des fiches"). Any other value rejects its row by name.
TYPOLOGIES_DATA_INCLUSION = {
    # Crèches à vocation d'insertion professionnelle: the label concerns collective crèches.
    "creches-avip": (Rubrique.EAJE, TypeAccueil.COLLECTIF),
}
COLONNE_TYPOLOGIE_DATA_INCLUSION = "typologie ou réseaux porteurs"
CHAMPS_DATA_INCLUSION = ("id", "nom", "adresse", "complement_adresse", "code_postal", "commune", "code_insee", "telephone",
                         "courriel", "site_web", "siret", "latitude", "longitude")


def correspondance_data_inclusion() -> Correspondance:
    """The mapping of a data·inclusion file: no mapping file needed."""
    return Correspondance(
        source="data-inclusion", identifiant="id",
        rubrique=Valeur(colonne=COLONNE_TYPOLOGIE_DATA_INCLUSION, multiple=True,
                        valeurs={k: r.value for k, (r, _) in TYPOLOGIES_DATA_INCLUSION.items()}),
        type_accueil=Valeur(colonne=COLONNE_TYPOLOGIE_DATA_INCLUSION, multiple=True,
                            valeurs={k: t.value for k, (_, t) in TYPOLOGIES_DATA_INCLUSION.items()}),
        champs={c: c for c in CHAMPS_DATA_INCLUSION if c not in ("id", "latitude", "longitude")},
        position=Position("colonnes", lat="latitude", lon="longitude"),
    )

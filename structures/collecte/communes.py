"""The commune of a row, from what real lists carry: a current or former INSEE code, a name with a postal code
that may be a CEDEX one, a neighbour's, or one that lost its leading zero in a spreadsheet."""

import re
from dataclasses import dataclass, field

from django.db import connection

from ..models import CodeInseeAncien, Commune
from ..text import de_commune, normalize

CEDEX = re.compile(r"\s*cedex\b.*$", re.IGNORECASE)


class Rejet(ValueError):
    """The row cannot become a fiche: the message says why, in French."""


@dataclass(slots=True)
class Lieu:
    commune: Commune
    code_postal: str
    avertissements: list[str] = field(default_factory=list)


class ResolveurCommunes:
    """Every commune read once (about 35,000): a file of 100,000 rows asks no query per row."""

    def __init__(self):
        # The points as plain (lon, lat) floats on `centre`: 35,000 geometries cost seconds; never read `point`.
        champs = ("code_insee", "nom", "nom_normalise", "departement_id", "codes_postaux", "etendue_km",
                  "commune_parente_id")
        self.communes = {c.code_insee: c for c in Commune.objects.only(*champs)}
        centres = _centres()
        for code, commune in self.communes.items():
            commune.centre = centres.get(code)
        self.arrondissements: dict[str, set[str]] = {}
        for commune in self.communes.values():
            if commune.commune_parente_id:
                self.arrondissements.setdefault(commune.commune_parente_id, set()).add(commune.code_insee)
        self.anciens = dict(CodeInseeAncien.objects.values_list("code_insee", "commune_id"))
        self.par_nom: dict[str, list[Commune]] = {}
        for commune in self.communes.values():
            self.par_nom.setdefault(commune.nom_normalise, []).append(commune)

    def resoudre(self, *, code_insee: str = "", nom: str = "", code_postal: str = "") -> Lieu:
        avertissements = []
        code_postal = _code_postal(code_postal, avertissements)
        commune = None
        if code_insee:
            commune = self._par_code(code_insee.strip().upper(), avertissements)
        if commune is None and nom:
            commune = self._par_nom(nom, code_postal)
        if commune is None:
            if code_insee:
                raise Rejet(f"Code INSEE « {code_insee[:10]} » inconnu.")
            raise Rejet("Commune manquante." if not nom else f"Commune « {nom[:60]} » introuvable.")
        return Lieu(commune, self._code_postal_de(commune, code_postal, avertissements), avertissements)

    def codes_geocodage(self, commune: Commune) -> frozenset[str]:
        """The INSEE codes the BAN may answer for an address of this commune (Paris: its arrondissements too)."""
        return frozenset({commune.code_insee, *self.arrondissements.get(commune.code_insee, ())})

    def _par_code(self, code: str, avertissements: list[str]) -> Commune | None:
        if re.fullmatch(r"\d{4}", code):
            code = "0" + code
        if code in self.communes:
            return self.communes[code]
        if code in self.anciens:
            commune = self.communes[self.anciens[code]]
            avertissements.append(f"Ancien code INSEE {code} : commune devenue {commune.nom} ({commune.code_insee}).")
            return commune
        return None

    def _par_nom(self, nom: str, code_postal: str) -> Commune | None:
        candidates = self.par_nom.get(normalize(CEDEX.sub("", nom)), [])
        if len(candidates) > 1 and code_postal:
            candidates = ([c for c in candidates if code_postal in c.liste_codes_postaux]
                          or [c for c in candidates if c.accepte_code_postal(code_postal)])
        if len(candidates) > 1:
            raise Rejet(f"Plusieurs communes s'appellent « {nom[:60]} » : ajoutez le code INSEE ou le code postal.")
        return candidates[0] if candidates else None

    @staticmethod
    def _code_postal_de(commune: Commune, code_postal: str, avertissements: list[str]) -> str:
        if not code_postal:
            return commune.code_postal_principal
        if not commune.liste_codes_postaux or code_postal in commune.liste_codes_postaux:
            return code_postal
        if commune.accepte_code_postal(code_postal):
            avertissements.append(
                f"Code postal {code_postal} (CEDEX ou commune voisine), différent de ceux {de_commune(commune.nom)} "
                f"({', '.join(commune.liste_codes_postaux)}) : gardé."
            )
            return code_postal
        avertissements.append(
            f"Code postal {code_postal} d'un autre secteur que {commune.nom} : remplacé par {commune.code_postal_principal}."
        )
        return commune.code_postal_principal


def _code_postal(brut: str, avertissements: list[str]) -> str:
    code = CEDEX.sub("", brut or "").replace(" ", "").strip()
    if re.fullmatch(r"\d{4}", code):
        avertissements.append(f"Code postal {code} complété en 0{code} (zéro initial perdu).")
        return "0" + code
    if code and not re.fullmatch(r"\d{5}", code):
        avertissements.append(f"Code postal « {brut[:20]} » illisible : celui de la commune est pris.")
        return ""
    return code


def _centres() -> dict[str, tuple[float, float]]:
    table = connection.ops.quote_name(Commune._meta.db_table)
    # PostGIS's geography has no ST_X: through geometry.
    point = "point::geometry" if connection.vendor == "postgresql" else "point"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code_insee, ST_X({point}), ST_Y({point}) FROM {table} WHERE point IS NOT NULL")
        return {code: (x, y) for code, x, y in cursor.fetchall()}

"""Addresses without coordinates, geocoded by the BAN's CSV endpoint: one HTTP call per batch, not per row.

Below the score threshold, or when the BAN cannot be reached, the row keeps its commune's point and the
fiche is marked "position approximative" for agents."""

import csv
import io
import logging
import uuid
from dataclasses import dataclass
from urllib.error import URLError
from urllib.request import Request, urlopen

from django.conf import settings

from ..geocoding import MIN_SCORE

logger = logging.getLogger(__name__)
LOT = 2000
# A batch of 2,000 addresses takes the BAN a few seconds; a hung server must not hold an import for ever.
TIMEOUT_LOT = 120


@dataclass(slots=True)
class Resultat:
    lon: float
    lat: float
    score: float
    type: str


def geocoder(adresses: list[tuple[str, str, frozenset[str]]]) -> list[Resultat | None]:
    """(address, the commune's INSEE code, the codes an answer may carry: the commune's and, for Paris, Lyon
    and Marseille, its arrondissements') → the BAN's answer there when it is sure enough, else None; one call
    per LOT addresses. Never raises: an unreachable BAN gives None for its batch."""
    resultats: list[Resultat | None] = []
    for debut in range(0, len(adresses), LOT):
        lot = adresses[debut:debut + LOT]
        try:
            resultats.extend(_lot(lot) if settings.GEOCODER_ENABLED else [None] * len(lot))
        except (URLError, OSError, ValueError, csv.Error) as error:
            logger.warning("BAN (CSV) indisponible (%s) : centre de la commune pour %d adresses",
                           error.__class__.__name__, len(lot))
            resultats.extend([None] * len(lot))
    return resultats


def _lot(lot: list[tuple[str, str, frozenset[str]]]) -> list[Resultat | None]:
    fichier = io.StringIO()
    writer = csv.writer(fichier)
    writer.writerow(["n", "adresse", "citycode"])
    for index, (adresse, code_insee, codes) in enumerate(lot):
        # The BAN files an address of Paris under its arrondissement: no filter where there are several.
        writer.writerow([index, adresse, code_insee if len(codes) == 1 else ""])
    frontiere = uuid.uuid4().hex
    corps = b"".join([
        _partie(frontiere, 'name="data"; filename="adresses.csv"', fichier.getvalue().encode(), "text/csv"),
        _partie(frontiere, 'name="columns"', b"adresse"),
        _partie(frontiere, 'name="citycode"', b"citycode"),
        f"--{frontiere}--\r\n".encode(),
    ])
    requete = Request(settings.BAN_URL.rstrip("/") + "/search/csv/", data=corps, method="POST", headers={  # noqa: S310
        "Content-Type": f"multipart/form-data; boundary={frontiere}", "User-Agent": "monenfant",
    })
    with urlopen(requete, timeout=TIMEOUT_LOT) as reponse:  # noqa: S310 (the BAN's address, from settings)
        texte = reponse.read().decode("utf-8-sig")
    resultats: list[Resultat | None] = [None] * len(lot)
    for ligne in csv.DictReader(io.StringIO(texte)):
        resultats[int(ligne["n"])] = _resultat(ligne, lot[int(ligne["n"])][2])
    return resultats


def _resultat(ligne: dict, codes: frozenset[str]) -> Resultat | None:
    try:
        score = float(ligne.get("result_score") or 0)
        lon, lat = float(ligne["longitude"]), float(ligne["latitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if score < MIN_SCORE or ligne.get("result_citycode") not in codes:
        return None
    return Resultat(lon, lat, score, (ligne.get("result_type") or "")[:20])


def _partie(frontiere: str, disposition: str, contenu: bytes, type_: str = "") -> bytes:
    entetes = f"--{frontiere}\r\nContent-Disposition: form-data; {disposition}\r\n"
    if type_:
        entetes += f"Content-Type: {type_}\r\n"
    return entetes.encode() + b"\r\n" + contenu + b"\r\n"

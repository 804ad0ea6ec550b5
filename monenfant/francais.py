"""French as people write it, for every app: dates ("1er décembre 2026 à 9 h 05") and plurals
("0 fiche", "2 fiches"). Used by templates through monenfant.filtres (a builtin library)."""

from datetime import date, datetime

from django.utils import timezone

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]


def date_longue(value: date | datetime | None, *, heure: bool = False) -> str:
    """"1er décembre 2026", and with heure "1er décembre 2026 à 9 h 05" (local time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    jour = "1er" if value.day == 1 else str(value.day)
    texte = f"{jour} {MOIS[value.month - 1]} {value.year}"
    if heure and isinstance(value, datetime):
        texte += f" à {value.hour} h {value.minute:02d}"
    return texte


def est_pluriel(nombre) -> bool:
    """French puts 0 and 1 in the singular ("0 fiche", "1,5 an"): the plural starts at 2."""
    if hasattr(nombre, "__len__"):
        nombre = len(nombre)
    try:
        return abs(float(nombre)) >= 2
    except (TypeError, ValueError):
        return False


def pluriel(nombre, suffixes: str = "s") -> str:
    """The ending for a count: "s" (or the plural of "singulier,pluriel") from 2 on."""
    singulier, _, plur = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    return plur if est_pluriel(nombre) else singulier

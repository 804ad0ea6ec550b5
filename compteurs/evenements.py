"""The events the usage counters know: each app names its own (a TextChoices in its enums, whose
codes are stored: never change them); the wiring lists them here, in the order they are shown."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Evenement:
    code: str
    libelle: str
    # Tied to a place (a département): a CAF reads it for its territory. Otherwise national.
    territorial: bool


_inscrits: dict[str, Evenement] = {}


def inscrire(choix: type[models.TextChoices], *, territoriaux: bool) -> None:
    for code, libelle in choix.choices:
        _inscrits[code] = Evenement(code=code, libelle=str(libelle), territorial=territoriaux)


def tous() -> list[Evenement]:
    return list(_inscrits.values())


def territoriaux() -> list[str]:
    return [e.code for e in _inscrits.values() if e.territorial]


def nationaux() -> list[str]:
    return [e.code for e in _inscrits.values() if not e.territorial]


def libelle(code: str) -> str:
    evenement = _inscrits.get(code)
    return evenement.libelle if evenement else code

"""Parameters of the public simulator API: every mistake becomes a French message, never a 500."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from .calculs import Besoin, FraisAssmat, SimulationError

REQUIRED = ("ressources_mensuelles", "enfants_a_charge", "heures_par_semaine")
DEFAULTS = {"enfants_aeeh": "0", "semaines_par_an": "47", "mois_factures": "12", "jours_par_semaine": "5"}
LABELS = {
    "date": "date (AAAA-MM-JJ)", "ressources_mensuelles": "ressources_mensuelles (euros)",
    "enfants_a_charge": "enfants_a_charge (entier)", "enfants_aeeh": "enfants_aeeh (entier)",
    "heures_par_semaine": "heures_par_semaine (nombre)", "semaines_par_an": "semaines_par_an (nombre)",
    "mois_factures": "mois_factures (entier)", "jours_par_semaine": "jours_par_semaine (entier)",
    "salaire_horaire": "salaire_horaire (euros)", "indemnite_entretien": "indemnite_entretien (euros)",
    "prix_repas": "prix_repas (euros)", "repas_par_jour": "repas_par_jour (entier)",
}


# The page's form takes 9 digits (7 before the comma); beyond, rounding a result overflows the context.
LARGEST = Decimal("9999999.99")


def _decimal(text: str) -> Decimal:
    value = Decimal(text.replace(",", "."))
    if not value.is_finite() or abs(value) > LARGEST:
        raise InvalidOperation
    return value


PARSERS = {
    "date": datetime.date.fromisoformat, "ressources_mensuelles": _decimal, "enfants_a_charge": int,
    "enfants_aeeh": int, "heures_par_semaine": _decimal, "semaines_par_an": _decimal, "mois_factures": int,
    "jours_par_semaine": int,
}


def _parse(name: str, raw: str, parse):
    try:
        return parse(raw)
    except (ValueError, InvalidOperation):
        raise SimulationError(f"Valeur invalide pour {LABELS[name]} : « {raw[:20]} ».", name) from None


def _require(params, names) -> None:
    missing = [name for name in names if not params.get(name, "").strip()]
    if missing:
        raise SimulationError(f"Paramètre manquant : {', '.join(missing)}.", missing[0])


def besoin_from_params(params, *, also_required=()) -> Besoin:
    _require(params, (*REQUIRED, *also_required))
    values = {}
    for name, parse in PARSERS.items():
        raw = params.get(name, "").strip() or DEFAULTS.get(name)
        # The date: today in France by default, not the server's UTC date.
        values[name] = timezone.localdate() if raw is None else _parse(name, raw, parse)
    return Besoin(**values)


def _optional(params, name: str, parse):
    raw = params.get(name, "").strip()
    return _parse(name, raw, parse) if raw else None


def frais_from_params(params) -> FraisAssmat:
    """The assistant maternel's costs; an allowance or a meal price left out is the barème's usual one."""
    _require(params, ["salaire_horaire"])
    repas_par_jour = _optional(params, "repas_par_jour", int)
    return FraisAssmat(
        salaire_horaire=_parse("salaire_horaire", params["salaire_horaire"].strip(), _decimal),
        indemnite_entretien=_optional(params, "indemnite_entretien", _decimal),
        prix_repas=_optional(params, "prix_repas", _decimal),
        repas_par_jour=1 if repas_par_jour is None else repas_par_jour,
    )

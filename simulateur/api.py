"""Parameters of the public simulator API: every mistake becomes a French message, never a 500."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from .calculs import Besoin, SimulationError

REQUIRED = ("ressources_mensuelles", "enfants_a_charge", "type_accueil", "heures_par_semaine")
DEFAULTS = {"enfants_aeeh": "0", "semaines_par_an": "47", "mois_factures": "12"}
LABELS = {
    "date": "date (AAAA-MM-JJ)", "ressources_mensuelles": "ressources_mensuelles (euros)",
    "enfants_a_charge": "enfants_a_charge (entier)", "enfants_aeeh": "enfants_aeeh (entier)",
    "heures_par_semaine": "heures_par_semaine (nombre)", "semaines_par_an": "semaines_par_an (nombre)",
    "mois_factures": "mois_factures (entier)",
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
}


def besoin_from_params(params) -> tuple[Besoin, str]:
    missing = [name for name in REQUIRED if not params.get(name, "").strip()]
    if missing:
        raise SimulationError(f"Paramètre manquant : {', '.join(missing)}.", missing[0])
    values = {}
    for name, parse in PARSERS.items():
        raw = params.get(name, "").strip() or DEFAULTS.get(name)
        if raw is None:  # the date: today by default
            values[name] = timezone.localdate()  # today in France, not the server's UTC date
            continue
        try:
            values[name] = parse(raw)
        except (ValueError, InvalidOperation):
            raise SimulationError(f"Valeur invalide pour {LABELS[name]} : « {raw[:20]} ».", name) from None
    return Besoin(**values), params["type_accueil"].strip()

"""Amounts as French writes them, for the calculations, the barème's own texts and the pages."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def arrondi(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def euros(value: Decimal) -> str:
    """1234.5 -> '1 234,50 €' (narrow no-break space for thousands, as French typography wants)."""
    text = f"{arrondi(value):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"


def nombre(value: Decimal, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text.rstrip("0").rstrip(",") if "," in text else text


def pourcent(taux: Decimal) -> str:
    return f"{taux.normalize():f}".replace(".", ",") + " %"

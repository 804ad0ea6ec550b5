from django import template

from structures import text

register = template.Library()


@register.filter
def age(mois) -> str:
    """Months as a parent says them: "10 mois", "18 mois", "3 ans", "3 ans et demi"."""
    if mois is None:
        return ""
    mois = int(mois)
    if mois < 24:
        return f"{mois} mois"
    ans, reste = divmod(mois, 12)
    if reste == 0:
        return f"{ans} ans"
    if reste == 6:
        return f"{ans} ans et demi"
    return f"{ans} ans et {reste} mois"


@register.filter
def de_commune(nom) -> str:
    """{{ commune.nom|de_commune }}: "du Puy-en-Velay", "d'Aiguilhe", "des Sorinières", "de Pau"."""
    return text.de_commune(str(nom))


@register.filter
def a_commune(nom) -> str:
    """{{ commune.nom|a_commune }}: "au Puy-en-Velay", "aux Sorinières", "à Aiguilhe"."""
    return text.a_commune(str(nom))


@register.filter
def euros(montant) -> str:
    """An amount as French writes it: "4,50 €", "1 234,00 €" (narrow no-break spaces)."""
    if montant is None or montant == "":
        return ""
    texte = f"{montant:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{texte}\u00a0€"

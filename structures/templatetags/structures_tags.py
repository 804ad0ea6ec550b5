from django import template

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

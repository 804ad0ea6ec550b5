"""Template filters every template has (TEMPLATES builtins): French dates and plurals."""

from django import template

from monenfant import francais

register = template.Library()


@register.filter(expects_localtime=True)
def date_longue(value):
    return francais.date_longue(value)


@register.filter(expects_localtime=True)
def date_heure(value):
    return francais.date_longue(value, heure=True)


@register.filter
def pluriel(value, suffixes="s"):
    return francais.pluriel(value, suffixes)

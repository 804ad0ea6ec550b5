import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from monenfant.limits import too_many
from structures import besoin as besoins
from structures import selectors

from . import services
from .models import Alerte

# Alerts made from one address: enough for a family, too few to flood other people's mailboxes.
RATE_CREATION = "5/h"
RATE_JETON = "30/m"


class AlerteForm(forms.Form):
    email = forms.EmailField(label="Votre adresse électronique", max_length=254,
                             error_messages={"invalid": "Saisissez une adresse électronique valide, par exemple "
                                                        "nom@exemple.fr.",
                                             "required": "Indiquez votre adresse électronique."})


def _prive(response):
    add_never_cache_headers(response)
    return response


@require_POST
def creer(request):
    """From a search ranked by a need: the need (session), the commune and filters (the results' URL) saved."""
    besoin = besoins.besoin_de_la_saisie(besoins.saisie_de_la_session(request.session))
    form = AlerteForm(request.POST)
    context = {"form": form, "retour": f"{reverse('structures:recherche')}?{request.GET.urlencode()}"}
    try:
        if besoin is None:
            raise selectors.SearchError("Indiquez d'abord votre besoin dans la recherche : l'alerte le reprend.")
        commune = selectors.commune_by_code(request.GET.get("code_insee", ""))
        rayon = selectors.parse_rayon(request.GET.get("rayon_km"))
        rubriques = selectors.parse_rubriques(",".join(request.GET.getlist("rubrique")))
    except selectors.SearchError as error:
        context["erreur"] = str(error)
        return _prive(render(request, "familles/alerte_creee.html", context, status=400))
    if not form.is_valid():
        return _prive(render(request, "familles/alerte_creee.html", context, status=400))
    if too_many(request, group="alerte-creation", key="ip", rate=RATE_CREATION):
        context["erreur"] = "Trop d'alertes créées depuis votre connexion : réessayez dans une heure."
        return _prive(render(request, "familles/alerte_creee.html", context, status=429))
    services.creer_alerte(email=form.cleaned_data["email"], besoin=besoin, commune=commune, rayon_km=rayon,
                          rubriques=rubriques)
    context.update(creee=True, email=form.cleaned_data["email"])
    return _prive(render(request, "familles/alerte_creee.html", context))


# What models.nouveau_jeton makes (token_urlsafe(32)): anything else is no alert's, and never reaches the database.
FORME_DU_JETON = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _alerte(request, jeton: str) -> Alerte:
    if too_many(request, group="alerte-jeton", key="ip", rate=RATE_JETON):
        raise PermissionDenied
    if not FORME_DU_JETON.fullmatch(jeton):
        raise Http404
    return get_object_or_404(Alerte.objects.select_related("commune"), jeton=jeton)


@require_http_methods(["GET", "POST"])
def confirmer(request, jeton: str):
    """The link of the confirmation email: a button (a mail scanner that follows links confirms nothing)."""
    alerte = _alerte(request, jeton)
    if request.method == "POST":
        services.confirmer(alerte)
    return _prive(render(request, "familles/confirmer.html", {
        "alerte": alerte, "besoin": services.besoin_de(alerte), "confirmee": request.method == "POST"
        or alerte.confirmee_le is not None}))


@require_http_methods(["GET", "POST"])
def arreter(request, jeton: str):
    alerte = _alerte(request, jeton)
    if request.method == "POST":
        services.arreter(alerte)
        return _prive(render(request, "familles/arreter.html", {"arretee": True}))
    return _prive(render(request, "familles/arreter.html", {"alerte": alerte, "besoin": services.besoin_de(alerte)}))

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from structures import selectors as structures_selectors
from structures.enums import Rubrique
from structures.models import Departement, InitiativeLocale, Structure

from .selectors import linfs_of_departement


@require_GET
def departement(request, code: str):
    """What the site lists in a département, who answers families' demandes there, and its CAF's news."""
    departement = get_object_or_404(Departement.objects.select_related("caf", "chef_lieu"), code=code.upper())
    counts = dict(Structure.objects.published().filter(commune__departement=departement)
                  .values_list("rubrique").annotate(n=Count("pk")).values_list("rubrique", "n"))
    return render(request, "linf/departement.html", {
        "departement": departement,
        "rubriques": [(code, label, counts.get(code, 0)) for code, label in Rubrique.choices],
        "total": sum(counts.values()),
        # The rubriques' links search the département from its chef-lieu, as far as a search reaches.
        "depart": structures_selectors.commune_de_depart(departement), "rayon_km": structures_selectors.RAYON_MAX_KM,
        "linfs": linfs_of_departement(departement.code),
        "initiatives": InitiativeLocale.objects.en_cours().filter(departement=departement).select_related("departement__caf"),
    })


@require_GET
def departements(request):
    """Every département and what the site lists there, per rubrique: the way in by territory."""
    return render(request, "linf/departements.html", {
        "rubriques": Rubrique.choices, "lignes": structures_selectors.fiches_par_departement(),
    })

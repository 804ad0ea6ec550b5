from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from . import calculs
from .api import besoin_from_params
from .enums import TypeAccueil
from .forms import SimulationForm
from .signals import simulation_faite


@require_http_methods(["GET", "POST"])
def simulateur(request):
    # POST: resources are personal, they stay out of URLs and server logs.
    form = SimulationForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        besoin, data = form.cleaned_data["besoin"], form.cleaned_data
        try:
            creche = calculs.simuler_creche(besoin, data["type_accueil"])
        except calculs.SimulationError as error:
            form.add_error(error.champ if error.champ in form.fields else None, str(error))
            return render(request, "simulateur/simulateur.html", context, status=400)
        annee = besoin.date.year
        context["creche"] = creche
        context["creche_type"] = TypeAccueil(data["type_accueil"]).label.lower()
        context["creche_credit"] = calculs.credit_impot(
            cout_mensuel=creche.participation_mensuelle, mois_payes=besoin.mois_factures, annee_revenus=annee,
            residence_alternee=data["residence_alternee"],
        )
        if data.get("salaire_horaire_assmat"):
            if besoin.date >= calculs.CMG_REFORME:
                try:
                    assmat = calculs.simuler_assmat(besoin, data["salaire_horaire_assmat"])
                    context["assmat"] = assmat
                    context["assmat_credit"] = calculs.credit_impot(
                        cout_mensuel=assmat.reste_a_charge, mois_payes=besoin.mois_factures, annee_revenus=annee,
                        residence_alternee=data["residence_alternee"],
                    )
                except calculs.SimulationError as error:
                    context["assmat_erreur"] = str(error)
            else:
                context["assmat_erreur"] = (
                    "La comparaison avec un assistant maternel suit le calcul du CMG en vigueur depuis le "
                    "1er septembre 2025 : choisissez une date à partir de celle-ci."
                )
    elif request.method == "POST":
        return render(request, "simulateur/simulateur.html", context, status=400)
    response = render(request, "simulateur/simulateur.html", context)
    if "creche" in context:
        simulation_faite.send(sender=simulateur)
    return response


def _number(value) -> float:
    return float(value)


@require_GET
def api_creche(request):
    try:
        besoin, type_accueil = besoin_from_params(request.GET)
        resultat = calculs.simuler_creche(besoin, type_accueil)
    except calculs.SimulationError as error:
        return JsonResponse(
            {"erreur": str(error), "parametre": error.champ}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    bareme = resultat.bareme
    response = JsonResponse(
        {
            "date": besoin.date.isoformat(),
            "ressources_declarees": _number(resultat.ressources.declarees),
            "ressources_retenues": _number(resultat.ressources.retenues),
            "taux_effort": _number(resultat.taux_effort),
            "tarif_horaire": _number(resultat.tarif_horaire),
            "heures_mensuelles": _number(calculs.arrondi(resultat.heures_mensuelles)),
            "participation_mensuelle": _number(resultat.participation_mensuelle),
            "explications": resultat.explications,
            "bareme": {
                "libelle": str(bareme),
                "debut": bareme.debut.isoformat(),
                "fin": bareme.fin.isoformat() if bareme.fin else None,
                "plancher": _number(bareme.plancher),
                "plafond": _number(bareme.plafond),
                "source": bareme.source,
                "valeurs_non_publiees": [
                    name for name, flag in (("plancher", bareme.plancher_estime), ("plafond", bareme.plafond_estime),
                                            ("taux_effort", resultat.taux_estime)) if flag
                ],
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )
    simulation_faite.send(sender=api_creche)
    return response


from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from . import calculs
from .api import besoin_from_params, frais_from_params
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
        if data.get("frais_assmat"):
            if besoin.date >= calculs.CMG_REFORME:
                try:
                    assmat = calculs.simuler_assmat(besoin, data["frais_assmat"])
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


def _erreur(error: calculs.SimulationError) -> JsonResponse:
    return JsonResponse(
        {"erreur": str(error), "parametre": error.champ}, status=400, json_dumps_params={"ensure_ascii": False}
    )


def _bareme_json(bareme, valeurs_non_publiees: list[str]) -> dict:
    return {
        "libelle": str(bareme),
        "debut": bareme.debut.isoformat(),
        "fin": bareme.fin.isoformat() if bareme.fin else None,
        "plancher": _number(bareme.plancher),
        "plafond": _number(bareme.plafond),
        "source": bareme.source,
        "valeurs_non_publiees": valeurs_non_publiees,
    }


@require_GET
def api_creche(request):
    try:
        besoin = besoin_from_params(request.GET, also_required=["type_accueil"])
        resultat = calculs.simuler_creche(besoin, request.GET["type_accueil"].strip())
    except calculs.SimulationError as error:
        return _erreur(error)
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
            "bareme": _bareme_json(bareme, [
                name for name, flag in (("plancher", bareme.plancher_estime), ("plafond", bareme.plafond_estime),
                                        ("taux_effort", resultat.taux_estime)) if flag
            ]),
        },
        json_dumps_params={"ensure_ascii": False},
    )
    simulation_faite.send(sender=api_creche)
    return response


@require_GET
def api_assmat(request):
    try:
        besoin = besoin_from_params(request.GET)
        resultat = calculs.simuler_assmat(besoin, frais_from_params(request.GET))
    except calculs.SimulationError as error:
        return _erreur(error)
    bareme = resultat.bareme
    description = _bareme_json(bareme, [str(v.parametre) for v in resultat.valeurs_a_confirmer])
    description.update({
        "cout_horaire_reference": _number(bareme.cout_horaire_reference),
        "plafond_horaire": _number(bareme.plafond_horaire),
        "sources": [
            {"parametre": s.parametre, "libelle": s.get_parametre_display(), "publication": s.texte,
             "publiee_le": s.publie_le.isoformat() if s.publie_le else None, "adresse": s.adresse or None,
             "officiel": s.officiel, "remarque": s.remarque}
            for s in bareme.sources.all()
        ],
        "a_confirmer": [{"parametre": str(v.parametre), "libelle": v.libelle, "raison": v.raison}
                        for v in resultat.valeurs_a_confirmer],
    })
    response = JsonResponse(
        {
            "date": besoin.date.isoformat(),
            "ressources_declarees": _number(resultat.ressources.declarees),
            "ressources_retenues": _number(resultat.ressources.retenues),
            "taux_effort": _number(resultat.taux_effort),
            "heures_mensuelles": _number(calculs.arrondi(resultat.heures_mensuelles)),
            "jours_mensuels": _number(calculs.arrondi(resultat.jours_mensuels)),
            "indemnite_entretien": _number(resultat.indemnite_entretien),
            "prix_repas": _number(resultat.prix_repas),
            "cout_mensuel": {
                "salaire": _number(resultat.salaire_mensuel), "indemnite_entretien": _number(resultat.entretien_mensuel),
                "repas": _number(resultat.repas_mensuels), "total": _number(resultat.cout_mensuel),
            },
            "cout_pris_en_compte": _number(resultat.cout_pris_en_compte),
            "cmg": _number(resultat.cmg),
            "reste_a_charge": _number(resultat.reste_a_charge),
            "explications": resultat.explications,
            "bareme": description,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    simulation_faite.send(sender=api_assmat)
    return response

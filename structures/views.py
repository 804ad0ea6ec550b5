from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors, usage
from .enums import Rubrique
from .geocoding import geocode_address
from .models import InitiativeLocale, Structure
from .text import normalize

PAGE_SIZE = 20
API_LIMIT_DEFAULT = 50
API_LIMIT_MAX = 200


def _form_context(params) -> dict:
    return {
        "rubriques": Rubrique.choices, "ages": selectors.AGES_MOIS, "params": params,
        "rubriques_cochees": params.getlist("rubrique"), "rayons": [5, 10, 20, 30, 50],
        "rayon": params.get("rayon_km") or str(selectors.RAYON_DEFAUT_KM),
    }


@require_GET
def home(request):
    return render(request, "structures/home.html", _form_context(request.GET))


def _feature(structure) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(structure.point.x, 6), round(structure.point.y, 6)]},
        "properties": {
            "id": structure.pk,
            "nom": structure.nom,
            "rubrique": structure.rubrique,
            "rubrique_libelle": structure.get_rubrique_display(),
            "commune": structure.commune.nom,
            "code_insee": structure.commune_id,
            "adresse": f"{structure.adresse}, {structure.code_postal} {structure.commune.nom}",
            "distance_km": round(structure.distance_km, 2),
            "places_disponibles": structure.places_disponibles,
            "places_mises_a_jour_le": structure.places_mises_a_jour_le.isoformat() if structure.places_mises_a_jour_le else None,
            "disponible_a_partir_du": structure.disponible_a_partir_du.isoformat() if structure.disponible_a_partir_du else None,
            "avip": structure.est_avip,
            "avip_places": structure.avip_places if structure.est_avip else None,
            "url": structure.get_absolute_url(),
        },
    }


@require_GET
def recherche(request):
    params = request.GET
    context = _form_context(params)
    commune_text = params.get("commune", "").strip()
    code = params.get("code_insee", "").strip()
    if not commune_text and not code:
        return render(request, "structures/recherche.html", context)
    try:
        if code:
            commune = selectors.commune_by_code(code)
        else:
            candidates = selectors.communes_for_text(commune_text)
            if not candidates:
                raise selectors.SearchError(f"Aucune commune ne correspond à « {commune_text[:60]} ».")
            exact = [c for c in candidates if c.nom_normalise == normalize(commune_text)]
            if len(candidates) > 1 and len(exact) != 1:
                context["candidates"] = candidates
                return render(request, "structures/recherche.html", context)
            commune = exact[0] if exact else candidates[0]
        point, adresse_trouvee = commune.point, False
        if params.get("adresse", "").strip():
            geocoded = geocode_address(params["adresse"], commune)
            if geocoded is not None:
                point, adresse_trouvee = geocoded, True
        criteres = selectors.criteres_from_params(params, point=point)
    except selectors.SearchError as error:
        context["error"] = str(error)
        return render(request, "structures/recherche.html", context, status=400)

    results = selectors.search_structures(criteres)
    page = Paginator(results, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    query["code_insee"] = commune.code_insee
    query["commune"] = str(commune)
    context.update(
        commune=commune, criteres=criteres, today=timezone.localdate(), page=page, querystring=query.urlencode(),
        initiatives=list(InitiativeLocale.objects.pour_commune(commune)[:3]),
        adresse_trouvee=adresse_trouvee, adresse_ignoree=bool(params.get("adresse", "").strip()) and not adresse_trouvee,
        plus_large=next((r for r in context["rayons"] if r > criteres.rayon_km), None),
        carte={"centre": [point.y, point.x], "features": [_feature(s) for s in page.object_list]},
    )
    response = render(request, "structures/recherche.html", context)
    if params.get("page", "1") == "1":  # the next pages are the same search
        usage.count_search(departement=commune.departement_id, rubriques=criteres.rubriques)
    return response


@require_GET
def avip(request):
    """Parents looking for work or in training: what AVIP is, who has priority, the solutions nearby."""
    params = request.GET
    context = {"params": params, "rayon_km": selectors.AVIP_RAYON_KM, "today": timezone.localdate()}
    code, text = params.get("code_insee", "").strip(), params.get("commune", "").strip()
    try:
        if code:
            context["commune"] = selectors.commune_by_code(code)
        elif text:
            candidates = selectors.communes_for_text(text)
            if not candidates:
                raise selectors.SearchError(f"Aucune commune ne correspond à « {text[:60]} ».")
            context["commune"] = candidates[0]
    except selectors.SearchError as error:
        context["error"] = str(error)
        return render(request, "structures/avip.html", context, status=400)
    if "commune" in context:
        context["solutions"] = selectors.avip_near(context["commune"])
    return render(request, "structures/avip.html", context)


@require_GET
def initiative_image(request, pk: int):
    initiative = get_object_or_404(InitiativeLocale.objects.en_cours().exclude(image=None), pk=pk)
    response = HttpResponse(bytes(initiative.image), content_type=initiative.image_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def fiche(request, pk: int):
    structure = get_object_or_404(Structure.objects.published().with_fiche_relations(), pk=pk)
    jours = {}
    for horaire in structure.horaires.all():
        jours.setdefault(horaire.get_jour_display(), []).append(horaire)
    response = render(
        request, "structures/fiche.html", {"structure": structure, "jours": jours, "today": timezone.localdate()}
    )
    usage.count_fiche_view(structure)
    return response


def _api_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"erreur": message}, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def api_structures(request):
    params = request.GET
    try:
        commune = None
        if params.get("commune"):
            commune = selectors.commune_by_code(params["commune"])
            point = commune.point
        elif params.get("lat") or params.get("lon"):
            point = selectors.parse_lat_lon(params.get("lat"), params.get("lon"))
        else:
            raise selectors.SearchError("Indiquez une commune (code INSEE) ou des coordonnées lat et lon.")
        criteres = selectors.criteres_from_params(params, point=point)
        limite = int(params.get("limite") or API_LIMIT_DEFAULT)
        if not 1 <= limite <= API_LIMIT_MAX:
            raise ValueError
    except selectors.SearchError as error:
        return _api_error(str(error))
    except ValueError:
        return _api_error(f"limite doit être un entier entre 1 et {API_LIMIT_MAX}.")
    structures = selectors.search_structures(criteres)[:limite]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": [_feature(s) for s in structures]},
        json_dumps_params={"ensure_ascii": False},
    )
    # By coordinates, the département is not looked up: the count says "not known".
    usage.count_search(departement=commune.departement_id if commune else None, rubriques=criteres.rubriques)
    return response


@require_GET
def api_communes(request):
    text = request.GET.get("q", "").strip()
    if len(text) < 2:
        return _api_error("Saisissez au moins deux caractères du nom ou du code postal.")
    communes = selectors.communes_for_text(text)
    return JsonResponse(
        {
            "communes": [
                {
                    "code_insee": c.code_insee, "nom": c.nom, "codes_postaux": c.liste_codes_postaux,
                    "departement": c.departement_id, "libelle": str(c),
                    "lat": round(c.point.y, 6), "lon": round(c.point.x, 6),
                }
                for c in communes
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )

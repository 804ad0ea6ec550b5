import datetime

from django.contrib.gis.geos import Point
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from . import besoin as besoins
from . import donnees_ouvertes, selectors, usage
from .enums import Jour, Rubrique
from .geocoding import geocode_address
from .models import InitiativeLocale, Structure

PAGE_SIZE = 20
API_LIMIT_DEFAULT = 50
API_LIMIT_MAX = 200


JOURS_DU_BESOIN = [(j.value, j.label) for j in Jour]


def _form_context(params, besoin_saisi: dict | None = None) -> dict:
    """The search form's choices, and what it shows filled in: the filters of params, the need the family
    stated (besoin_saisi: its fields as typed, from the session or the form just posted)."""
    besoin_saisi = besoin_saisi or {}
    jours = str(besoin_saisi.get("jours", "")).split(",") if besoin_saisi else []
    return {
        "rubriques": Rubrique.choices, "ages": selectors.AGES_MOIS, "params": params,
        "rubriques_cochees": params.getlist("rubrique"), "rayons": [5, 10, 20, 30, 50],
        "rayon": params.get("rayon_km") or str(selectors.RAYON_DEFAUT_KM),
        "besoin_saisi": besoin_saisi, "jours_du_besoin": JOURS_DU_BESOIN,
        "jours_coches": {j.strip() for j in jours if j.strip()},
    }


@require_GET
def home(request):
    return render(request, "structures/home.html", _form_context(request.GET))


def _feature(structure, today: datetime.date | None = None, url: tuple[str, str] | None = None) -> dict:
    """One fiche (a model instance) as a GeoJSON feature: the same as a search result read as values. A page
    of them passes the day and the fiches' URL pattern, read once."""
    valeurs = {
        # lon/lat: the point's coordinates, which save() copies (a search's fiches are read without their point).
        "pk": structure.pk, "nom": structure.nom, "rubrique": structure.rubrique, "lon": structure.lon,
        "lat": structure.lat, "commune_id": structure.commune_id, "commune__nom": structure.commune.nom,
        "adresse": structure.adresse, "code_postal": structure.code_postal,
        "places_disponibles": structure.places_disponibles, "places_mises_a_jour_le": structure.places_mises_a_jour_le,
        "disponible_a_partir_du": structure.disponible_a_partir_du, "avip_depuis": structure.avip_depuis,
        "avip_jusqu_au": structure.avip_jusqu_au, "avip_places": structure.avip_places,
    }
    if hasattr(structure, "distance_km"):
        valeurs["distance_km"] = structure.distance_km
    return feature_de_valeurs(valeurs, today or timezone.localdate(), url or url_fiche_gabarit())


RUBRIQUES_LIBELLES = dict(Rubrique.choices)


def url_fiche_gabarit() -> tuple[str, str]:
    """What comes before and after the id in a fiche's URL: reverse() costs more than the rest of a feature,
    and the API writes up to 200 of them. Read for each request (the script prefix is per request)."""
    prefixe, _, suffixe = reverse("structures:fiche", args=[0]).rpartition("0")
    return prefixe, suffixe


def _iso(valeur) -> str | None:
    return valeur.isoformat() if valeur else None


def feature_de_valeurs(s: dict, today: datetime.date, url: tuple[str, str]) -> dict:
    """A search result (selectors.CHAMPS_RESULTAT, `distance_km` around a point) as a GeoJSON feature, the
    partners' contract (DESIGN.md)."""
    avip = s["avip_depuis"] is not None and s["avip_depuis"] <= today and (
        s["avip_jusqu_au"] is None or s["avip_jusqu_au"] >= today)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(s["lon"], 6), round(s["lat"], 6)]},
        "properties": {
            "id": s["pk"],
            "nom": s["nom"],
            "rubrique": s["rubrique"],
            "rubrique_libelle": RUBRIQUES_LIBELLES.get(s["rubrique"], s["rubrique"]),
            "commune": s["commune__nom"],
            "code_insee": s["commune_id"],
            "adresse": f"{s['adresse']}, {s['code_postal']} {s['commune__nom']}",
            # Only around a point.
            "distance_km": round(s["distance_km"], 2) if "distance_km" in s else None,
            "places_disponibles": s["places_disponibles"],
            "places_mises_a_jour_le": _iso(s["places_mises_a_jour_le"]),
            "disponible_a_partir_du": _iso(s["disponible_a_partir_du"]),
            "avip": avip,
            "avip_places": s["avip_places"] if avip else None,
            "url": f"{url[0]}{s['pk']}{url[1]}",
        },
    }


# The family's address never travels in a URL (access logs, Referer, history, shared links): the form
# posts it, it is geocoded here and kept in the session with the commune it belongs to. Results URLs
# carry the commune and these filters only.
SESSION_ADRESSE = "recherche_adresse"
ADRESSE_MAX = 200
FILTRES = (
    "rubrique", "rayon_km", "age_mois", "places_disponibles", "accueil_handicap", "horaires_atypiques",
    "ouvert_samedi", "avip",
)


FILTRES_OUI_NON = (
    ("places_disponibles", "Places disponibles maintenant"), ("accueil_handicap", "Accueil handicap"),
    ("horaires_atypiques", "Horaires atypiques"), ("ouvert_samedi", "Ouvert le samedi"), ("avip", "Places AVIP"),
)


def _filtres_actifs(query, criteres) -> list[tuple[str, str]]:
    """The filters of a search as (label, the same search without it): tags the family removes in one tap."""
    def sans(key, rubrique=None):
        autre = query.copy()
        if rubrique is None:
            autre.pop(key, None)
        else:
            autre.setlist(key, [r for r in criteres.rubriques if r != rubrique])
        return _url_resultats(autre)

    tags = [(Rubrique(code).label, sans("rubrique", code)) for code in criteres.rubriques]
    if criteres.rayon_km != selectors.RAYON_DEFAUT_KM:
        tags.append((f"À moins de {criteres.rayon_km:g} km", sans("rayon_km")))
    if criteres.age_mois is not None:
        tags.append((f"Enfant de {dict(selectors.AGES_MOIS).get(criteres.age_mois, f'{criteres.age_mois} mois')}",
                     sans("age_mois")))
    tags += [(libelle, sans(key)) for key, libelle in FILTRES_OUI_NON if getattr(criteres, key)]
    return tags


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _url_resultats(params) -> str:
    """/recherche/ with the commune and the filters of params, and nothing else (no address, no page)."""
    query = QueryDict(mutable=True)
    for key in ("code_insee", "commune", *FILTRES):
        values = [v for v in params.getlist(key) if v.strip()]
        if values:
            query.setlist(key, values)
    url = reverse("structures:recherche")
    return f"{url}?{query.urlencode()}" if query else url


def _commune_or_candidates(params):
    """(commune, None), or (None, candidates) when the typed text matches several; SearchError if none."""
    found = selectors.resolve_commune(params.get("commune", ""), code=params.get("code_insee", ""),
                                      correspondance=selectors.Correspondance.PROPOSEE)
    return (found.commune, None) if found.commune else (None, found.candidates)


def _adresse_en_session(request, commune) -> dict | None:
    """The address the family posted for this commune: {"texte", "point" (None when not found)}."""
    adresse = request.session.get(SESSION_ADRESSE)
    if not isinstance(adresse, dict) or adresse.get("code_insee") != commune.code_insee:
        return None
    point = None
    if adresse.get("lon") is not None and adresse.get("lat") is not None:
        point = Point(adresse["lon"], adresse["lat"], srid=4326)
    return {"texte": adresse.get("texte", ""), "point": point}


def _prive(response):
    """A page that shows what the family typed: never stored by a browser or shared by a proxy."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie",))
    return response


@require_http_methods(["GET", "POST"])
def recherche(request):
    if request.method == "POST":
        return _recherche_postee(request)
    params = request.GET
    if "adresse" in params:  # an old bookmark: the address goes no further, and is not geocoded
        query = params.copy()
        query.pop("adresse")
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    besoin_saisi = besoins.saisie_de_la_session(request.session)
    besoin = besoins.besoin_de_la_saisie(besoin_saisi)
    context = _form_context(params, besoin_saisi)
    if not params.get("commune", "").strip() and not params.get("code_insee", "").strip():
        return render(request, "structures/recherche.html", context)
    try:
        commune, candidates = _commune_or_candidates(params)
        if candidates:
            context["candidates"] = candidates
            return render(request, "structures/recherche.html", context)
        adresse = _adresse_en_session(request, commune)
        point = adresse["point"] if adresse and adresse["point"] else commune.point
        criteres = selectors.criteres_from_params(params, point=point)
        criteres.besoin = besoin
    except selectors.SearchError as error:
        context["error"] = str(error)
        return render(request, "structures/recherche.html", context, status=400)

    page = selectors.page_de_recherche(criteres, params.get("page"), PAGE_SIZE)
    if besoin is not None:
        _avec_adequation(page.object_list, besoin)
    query = params.copy()
    query.pop("page", None)
    query["code_insee"] = commune.code_insee
    query["commune"] = str(commune)
    en_ligne = selectors.linfs_answering_online(commune)
    today, url = timezone.localdate(), url_fiche_gabarit()
    context.update(
        commune=commune, criteres=criteres, today=today, page=page, plafond=selectors.PLAFOND_COMPTE,
        querystring=query.urlencode(),
        initiatives=list(InitiativeLocale.objects.pour_commune(commune)[:3]),
        en_ligne=en_ligne, en_ligne_pks={s.pk for s in en_ligne},
        filtres_actifs=_filtres_actifs(query, criteres),
        adresse=adresse, adresse_saisie=adresse["texte"] if adresse else "", besoin=besoin,
        plus_large=next((r for r in context["rayons"] if r > criteres.rayon_km), None),
        carte={"centre": [point.y, point.x],
               "features": [_feature(s, today, url) for s in page.object_list]},
    )
    response = render(request, "structures/recherche.html", context)
    if params.get("page", "1") == "1":  # the next pages are the same search
        usage.count_search(departement=commune.departement_id, rubriques=criteres.rubriques)
    if adresse or besoin:
        return _prive(response)
    # The same URL is ordered from an address for a family that posted one: a cache keys on the cookie.
    patch_vary_headers(response, ("Cookie",))
    return response


def _recherche_postee(request):
    """The search form: checked as on a GET, the address geocoded and kept in the session, then 303 to
    the results URL (commune and filters). On an error or several communes, the form again, filled in."""
    params = request.POST
    adresse_texte = " ".join("".join(c if c.isprintable() else " " for c in params.get("adresse", "")).split())
    adresse_texte = adresse_texte[:ADRESSE_MAX]
    besoin_saisi = {nom: _texte_saisi(params.get(nom)) for nom in besoins.CHAMPS}
    besoin_saisi["jours"] = ",".join(_texte_saisi(j) for j in params.getlist("jours"))[:besoins.SAISIE_MAX]
    context = _form_context(params, besoin_saisi)
    context["adresse_saisie"] = adresse_texte
    try:
        besoin = besoins.besoin_depuis(besoins.Saisie(besoin_saisi))
    except besoins.BesoinInvalide as error:
        context.update(error=str(error), besoin_erreur=error.champ, besoin_ouvert=True)
        return _prive(render(request, "structures/recherche.html", context, status=400))
    try:
        if not params.get("commune", "").strip() and not params.get("code_insee", "").strip():
            raise selectors.SearchError("Indiquez votre commune ou son code postal.")
        commune, candidates = _commune_or_candidates(params)
        if candidates:  # chosen with a button that posts the same fields again, the address among them
            context["candidates"] = candidates
            context["champs_repostes"] = [
                (key, value) for key, values in params.lists() if key not in ("csrfmiddlewaretoken", "code_insee")
                for value in values
            ]
            return _prive(render(request, "structures/recherche.html", context))
        selectors.criteres_from_params(params, point=commune.point)  # the filters, before asking the BAN
    except selectors.SearchError as error:
        context["error"] = str(error)
        return _prive(render(request, "structures/recherche.html", context, status=400))
    if adresse_texte:
        point = geocode_address(adresse_texte, commune)
        request.session[SESSION_ADRESSE] = {
            "code_insee": commune.code_insee, "texte": adresse_texte,
            "lon": point.x if point else None, "lat": point.y if point else None,
        }
    else:
        request.session.pop(SESSION_ADRESSE, None)
    if besoin is not None:
        request.session[SESSION_BESOIN] = besoin_saisi
    else:
        request.session.pop(SESSION_BESOIN, None)
    query = params.copy()
    query["code_insee"], query["commune"] = commune.code_insee, str(commune)
    return HttpResponseSeeOther(_url_resultats(query))


# A family's need (besoin.Besoin) stays in its session, as typed: its resources never travel in a URL either.
SESSION_BESOIN = besoins.SESSION_BESOIN


def _texte_saisi(valeur) -> str:
    """One field of the need as typed, without control characters, cut short (the session keeps it)."""
    return "".join(c for c in str(valeur or "") if c.isprintable()).strip()[:besoins.SAISIE_MAX]


def _avec_adequation(fiches, besoin) -> None:
    """The page's fiches with, in words, what fits the need and what does not, and what each would cost."""
    prefetch_related_objects(fiches, "horaires", "creneaux_disponibles")
    couts = selectors.couts_des_fiches(fiches, besoin)
    for fiche in fiches:
        fiche.constats = besoins.constats(fiche, besoin)
        fiche.cout = couts.get(fiche.pk)


@require_POST
def oublier_besoin(request):
    """"Ne plus utiliser mon besoin": out of the session, back to the same results nearest first."""
    request.session.pop(SESSION_BESOIN, None)
    return HttpResponseSeeOther(_url_resultats(request.GET))


@require_POST
def oublier_adresse(request):
    """"Ne plus utiliser cette adresse": out of the session, back to the same results from the commune."""
    request.session.pop(SESSION_ADRESSE, None)
    return HttpResponseSeeOther(_url_resultats(request.GET))


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
    _avec_semaine(structure)
    jours = {}
    for horaire in structure.horaires.all():
        jours.setdefault(horaire.get_jour_display(), []).append(horaire)
    response = render(request, "structures/fiche.html", {
        "structure": structure, "jours": jours, "today": timezone.localdate(),
        "en_ligne": selectors.linfs_answering_online(structure.commune),
        "assistants": Structure.objects.assistants_de_la_mam(structure).select_related("commune")
        if structure.est_mam else [],
        "mam": structure.mam_affichee,
    })
    usage.count_fiche_view(structure)
    return response


def _avec_semaine(structure) -> None:
    """An assistant maternel's half-days (worked, with a place), read once for the page or the API."""
    if structure.est_assmat:
        prefetch_related_objects([structure], "creneaux_travailles", "creneaux_disponibles")


def _details(structure) -> dict:
    """What the fiche's page shows beyond the search result (`with_fiche_relations`)."""
    def date(valeur):
        return valeur.isoformat() if valeur else None

    details = {
        "type_accueil": structure.type_accueil or None,
        "type_accueil_libelle": structure.get_type_accueil_display() or None,
        "financement_psu": structure.financement_psu,
        "organisme": structure.organisme.nom if structure.organisme else None,
        "complement_adresse": structure.complement_adresse or None,
        "code_postal": structure.code_postal,
        "telephone": structure.telephone or None,
        "courriel": structure.email or None,
        "site_web": structure.site_web or None,
        "presentation": structure.presentation or None,
        "age_min_mois": structure.age_min_mois,
        "age_max_mois": structure.age_max_mois,
        "capacite": structure.capacite,
        "accueil_handicap": structure.accueil_handicap,
        "horaires_atypiques": structure.horaires_atypiques,
        "horaires": [{"jour": h.get_jour_display(), "ouverture": h.ouverture.strftime("%H:%M"),
                      "fermeture": h.fermeture.strftime("%H:%M")} for h in structure.horaires.all()],
        "position_approximative": structure.position_approximative,
        "disponibilite_mise_a_jour_le": date(structure.disponibilite_mise_a_jour_le),
    }
    if structure.est_assmat:
        details["creneaux_travailles"] = [{"jour": c.get_jour_display(), "demi_journee": c.get_demi_journee_display()}
                                          for c in structure.creneaux_travailles.all()]
        details["creneaux_disponibles"] = [{"jour": c.get_jour_display(), "demi_journee": c.get_demi_journee_display()}
                                           for c in structure.creneaux_disponibles.all()]
        details["mam"] = structure.mam_affichee.pk if structure.mam_affichee else None
    if structure.est_mam:
        details["assistants_maternels"] = list(Structure.objects.assistants_de_la_mam(structure).order_by("pk")
                                               .values_list("pk", flat=True))
    return details


def _api_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"erreur": message}, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def api_structures(request):
    """Around a commune or a point (nearest first), or the fiches of a département (by id); by pages, each
    FeatureCollection naming the next one in `suivant`."""
    params = request.GET
    try:
        commune = departement = point = None
        if params.get("departement"):
            departement = selectors.departement_by_code(params["departement"])
        if params.get("commune"):
            commune = selectors.commune_by_code(params["commune"])
            point = commune.point
        elif params.get("lat") or params.get("lon"):
            point = selectors.parse_lat_lon(params.get("lat"), params.get("lon"))
        elif departement is None:
            raise selectors.SearchError(
                "Indiquez un département, une commune (code INSEE) ou des coordonnées lat et lon.")
        criteres = selectors.criteres_from_params(params, point=point)
        criteres.departement = departement.code if departement else None
        criteres.besoin = _besoin_de_l_api(params, point)
        apres = selectors.Curseur.decoder(
            params["curseur"], avec_distance=point is not None, avec_adequation=criteres.besoin is not None,
        ) if params.get("curseur") else None
        limite = _limite(params.get("limite"))
    except selectors.SearchError as error:
        return _api_error(str(error))
    lignes, suivant = selectors.page_de_structures(criteres, apres=apres, limite=limite)
    today, url = timezone.localdate(), url_fiche_gabarit()
    collection = {"type": "FeatureCollection", "features": [feature_de_valeurs(s, today, url) for s in lignes]}
    if criteres.besoin is not None:
        for feature, ligne in zip(collection["features"], lignes, strict=True):
            feature["properties"]["adequation"] = ligne["adequation"]
    if suivant is not None:
        query = params.copy()
        query["curseur"] = suivant.encoder()
        collection["suivant"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False})
    if apres is None:
        # A search, counted once: the pages after the first are the same search. By coordinates or by
        # département alone, the commune is not known.
        usage.count_search(departement=commune.departement_id if commune else criteres.departement,
                           rubriques=criteres.rubriques)
    return response


TRIS = ("distance", "adequation")


def _besoin_de_l_api(params, point):
    """tri=adequation: the need of the parameters ranks the results (a point is needed); without it, nearest first."""
    tri = params.get("tri", "distance").strip() or "distance"
    if tri not in TRIS:
        raise selectors.SearchError(f"tri : « {tri[:20]} » inconnu. Valeurs possibles : {', '.join(TRIS)}.")
    if tri != "adequation":
        return None
    if point is None:
        raise selectors.SearchError("tri=adequation classe autour d'une commune ou d'un point (lat, lon).")
    try:
        besoin = besoins.besoin_depuis(params)
    except besoins.BesoinInvalide as error:
        raise selectors.SearchError(f"{error} (paramètre {error.champ})") from None
    if besoin is None:
        raise selectors.SearchError("tri=adequation demande un besoin : debut, jours, heure_debut, heure_fin, et "
                                    "naissance ou age_enfant.")
    return besoin


def _limite(raw) -> int:
    try:
        limite = int(raw or API_LIMIT_DEFAULT)
    except (TypeError, ValueError):
        limite = 0
    if not 1 <= limite <= API_LIMIT_MAX:
        raise selectors.SearchError(f"limite doit être un entier entre 1 et {API_LIMIT_MAX}.")
    return limite


@require_GET
def api_structure(request, pk: int):
    """One public fiche, with what its page shows."""
    structure = Structure.objects.published().with_fiche_relations().filter(pk=pk).first()
    if structure is None:
        return _api_error("Fiche introuvable : elle n'existe pas ou n'est pas publique.", status=404)
    _avec_semaine(structure)
    feature = _feature(structure)
    feature["properties"].update(_details(structure))
    return JsonResponse(feature, json_dumps_params={"ensure_ascii": False})


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


@require_GET
def donnees(request):
    """The open data page: each file with its date, and each field described."""
    publication = donnees_ouvertes.derniere_publication()
    fichiers = []
    for code, format_ in donnees_ouvertes.FORMATS.items():
        fichier = (publication or {}).get("fichiers", {}).get(code)
        if fichier:
            fichiers.append({"format": format_, "url": reverse("structures:donnees_fichier", args=[f"annuaire.{format_.extension}"]), **fichier})
    return render(request, "structures/donnees.html", {
        "publication": publication, "fichiers": fichiers, "champs": donnees_ouvertes.CHAMPS,
        "date": datetime.date.fromisoformat(publication["date"]) if publication else None,
        "licence": donnees_ouvertes.LICENCE, "licence_url": donnees_ouvertes.LICENCE_URL,
    })


@require_safe  # HEAD too: download tools ask a file's size and date first
def donnees_fichier(request, nom: str):
    """The latest file of a format, streamed from disk (FileResponse reads it by blocks)."""
    code = donnees_ouvertes.PAR_NOM.get(nom)
    chemin = donnees_ouvertes.fichier_publie(code) if code else None
    if chemin is None:
        raise Http404("Ce fichier n'est pas encore publié.")
    response = FileResponse(open(chemin, "rb"), as_attachment=True, filename=chemin.name,
                            content_type=donnees_ouvertes.FORMATS[code].type_mime)
    response["Last-Modified"] = http_date(chemin.stat().st_mtime)
    response["Cache-Control"] = "public, max-age=3600"
    return response

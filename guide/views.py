from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from compteurs import usage
from structures.enums import Rubrique
from structures.models import Departement

from .enums import EvenementUsage
from .models import InformationsEditeur, PageGuide, PageLegale, TypePageLegale


@require_GET
def index(request):
    q = request.GET.get("q", "").strip()[:200]
    pages = PageGuide.objects.publiees()
    context = {"pages": pages, "q": q}
    if q:
        context["resultats"] = list(pages.recherche(q)[:20])
    return render(request, "guide/index.html", context)


@require_GET
def page(request, slug: str):
    page = get_object_or_404(PageGuide.objects.publiees(), slug=slug)
    response = render(request, "guide/page.html", {"page": page, "pages": PageGuide.objects.publiees()})
    usage.count(EvenementUsage.PAGE_GUIDE_LUE, cle=page.slug)
    return response


@require_GET
def rubrique(request, code: str):
    """Where a fiche sends its reader: the guide page that explains its rubrique."""
    code = code.upper()
    if code not in Rubrique.values:  # an unknown code never becomes a LIKE pattern (SQLite refuses long ones)
        raise Http404
    for page in PageGuide.objects.publiees().filter(rubriques__contains=code):
        if code in page.liste_rubriques:
            return redirect(page)
    raise Http404


# The legal pages and the site map --------------------------------------------------------------

@require_GET
def page_legale(request, type: str):
    page = PageLegale.courante(type)
    editeur = InformationsEditeur.courantes()
    return render(request, "guide/page_legale.html", {"page": page, "corps": page.corps_html(editeur)})


@require_GET
def plan_du_site(request):
    """Every public page, from the site's routes and the database (guide pages, départements)."""
    sections = [
        ("Trouver un mode d'accueil", [
            ("Accueil", reverse("structures:home")),
            ("Trouver un mode d'accueil (liste et carte)", reverse("structures:recherche")),
            ("Chercher un emploi ou une formation : les crèches à vocation d'insertion professionnelle", reverse("structures:avip")),
            ("Estimer le coût d'une crèche", reverse("simulateur:simulateur")),
            ("Demander une information au lieu d'information de sa commune", reverse("demandes:debut")),
        ]),
        ("Guide des parents", [("Guide des parents : toutes les pages et la recherche", reverse("guide:index"))]
         + [(p.titre, p.get_absolute_url()) for p in PageGuide.objects.publiees()]),
        ("Les modes d'accueil par département", [
            (f"{d.code} — {d.nom}", reverse("linf:departement", args=[d.code])) for d in Departement.objects.order_by("code")
        ]),
        ("Professionnels", [
            ("Espace professionnel : connexion", reverse("pro:connexion")),
            ("Demander une habilitation de lieu d'information", reverse("pro:demande_habilitation")),
        ]),
        ("Données et API", [
            ("Données ouvertes de l'annuaire (CSV, GeoJSON, data·inclusion)", reverse("structures:donnees")),
            ("API publique", reverse("api_documentation")),
        ]),
        ("À propos du site", [(p.titre, p.get_absolute_url()) for p in map(PageLegale.courante, TypePageLegale.values)]
         + [("Plan du site", reverse("pages:plan_du_site"))]),
    ]
    return render(request, "guide/plan_du_site.html", {"sections": [s for s in sections if s[1]]})

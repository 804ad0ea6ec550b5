from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from structures import usage
from structures.enums import EvenementUsage, Rubrique

from .models import PageGuide


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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from habilitations.documents import render_pdf
from linf.selectors import linfs_serving
from monenfant.limits import too_many
from monenfant.params import parse_pk
from structures import selectors as structures_selectors
from structures import usage
from structures.enums import EvenementUsage
from structures.models import Commune

from . import exports, forms, services, statistiques
from .enums import StatutDemande
from .models import Demande

SESSION_KEY = "demande_information"
SUBMITTED_KEY = "demandes_envoyees"
STEPS = [
    ("commune", "Votre commune", forms.CommuneForm),
    ("vous", "Vous", forms.VousForm),
    ("enfants", "Vos enfants", forms.EnfantsFormSet),
    ("besoin", "Votre besoin", forms.BesoinForm),
    ("contact", "Vos coordonnées", forms.ContactForm),
    ("message", "Votre message", forms.MessageForm),
    ("recapitulatif", "Vérification et envoi", forms.ConsentementForm),
]
NAMES = [name for name, _, _ in STEPS]
RATE = "5/h"  # submissions per address and hour


def _build(form_class, data=None):
    if form_class is forms.EnfantsFormSet:
        return form_class(data, prefix="enfants")
    return form_class(data)


def _nearest_help(commune: Commune):
    criteres = structures_selectors.Criteres(point=commune.point, rayon_km=30, rubriques=["RPE", "LINF"])
    return list(structures_selectors.search_structures(criteres)[:6])


def _raw(post) -> dict:
    return {k: v for k, v in post.items() if k != "csrfmiddlewaretoken" and k != "precedent"}


def wizard(request, etape: str = "commune"):
    if etape not in NAMES:
        raise Http404
    state = request.session.get(SESSION_KEY, {})
    index = NAMES.index(etape)
    for previous in NAMES[:index]:
        if previous not in state:
            return redirect("demandes:etape", etape=previous)
    name, title, form_class = STEPS[index]
    context = {"etape": name, "titre": title, "numero": index + 1, "total": len(STEPS), "steps": STEPS}

    if request.method == "POST" and "precedent" in request.POST:
        # Going back keeps what was typed on this step, even unfinished.
        state.setdefault("brouillons", {})[name] = _raw(request.POST)
        request.session[SESSION_KEY] = state
        return redirect("demandes:etape", etape=NAMES[index - 1])

    if request.method == "POST":
        form = _build(form_class, request.POST)
    elif name in state:
        form = _build(form_class, state[name])
    elif name in state.get("brouillons", {}):
        form = _build(form_class, state["brouillons"][name])
    else:
        form = _build(form_class)

    if name == "commune" and request.method == "POST" and form.is_valid():
        commune = _resolve_commune(form)
        if commune is None:
            form.add_error("commune", "Commune introuvable : choisissez-la dans la liste ou tapez son code postal.")
        elif not linfs_serving(commune).exists():
            statistiques.count_unserved(commune)
            context.update(form=form, commune=commune, aucun_linf=True, aide=_nearest_help(commune))
            return render(request, "demandes/etape.html", context)
        else:
            if "commune" not in state:  # coming back to change the commune is the same demande
                usage.count(EvenementUsage.DEMANDE_COMMENCEE, departement=commune.departement_id)
            state["commune"] = {"commune": str(commune), "code_insee": commune.code_insee}
            request.session[SESSION_KEY] = state
            return redirect("demandes:etape", etape=NAMES[index + 1])
    elif name == "recapitulatif" and request.method == "POST" and form.is_valid():
        return _submit(request, state, context, form)
    elif request.method == "POST" and form.is_valid():
        if name == "contact" and form.cleaned_data.get("site_web"):
            form.add_error(None, "Votre demande n'a pas pu être enregistrée.")  # a robot filled the hidden field
        else:
            state[name] = _raw(request.POST)
            state.get("brouillons", {}).pop(name, None)
            request.session[SESSION_KEY] = state
            return redirect("demandes:etape", etape=NAMES[index + 1])

    if name == "recapitulatif":
        context["recap"] = _cleaned(state)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "demandes/etape.html", context, status=status)


def _resolve_commune(form):
    code = form.cleaned_data.get("code_insee")
    try:
        if code:
            return structures_selectors.commune_by_code(code)
    except structures_selectors.SearchError:
        return None
    candidates = structures_selectors.communes_for_text(form.cleaned_data["commune"])
    return candidates[0] if len(candidates) == 1 else None


def _cleaned(state) -> dict:
    """The validated data of every step, rebuilt from what the session holds."""
    data = {}
    for name, _, form_class in STEPS[1:-1]:
        form = _build(form_class, state[name])
        form.is_valid()
        if name == "enfants":
            data["enfants"] = [
                {k: v for k, v in f.cleaned_data.items() if v} for f in form.forms if f.cleaned_data and any(f.cleaned_data.values())
            ]
        else:
            data.update(form.cleaned_data)
    data["commune"] = Commune.objects.get(code_insee=state["commune"]["code_insee"])
    return data


def _too_many(request) -> bool:
    # The counters live in Redis: when it is down, a family still sends its demande.
    return too_many(request, group="demande-information", key="ip", rate=RATE)


def _submit(request, state, context, form):
    if _too_many(request):
        context.update(form=form, recap=_cleaned(state), limite=True)
        return render(request, "demandes/etape.html", context, status=429)
    data = _cleaned(state)
    data.pop("site_web", None)
    try:
        demande = services.submit_demande(**data)
    except services.AucunLieuInformation as error:
        messages.error(request, str(error))
        return redirect("demandes:etape", etape="commune")
    usage.count(EvenementUsage.DEMANDE_ENVOYEE, departement=demande.commune.departement_id)
    request.session[SUBMITTED_KEY] = [*request.session.get(SUBMITTED_KEY, []), demande.reference][-10:]
    request.session.pop(SESSION_KEY, None)
    return redirect("demandes:confirmation", reference=demande.reference)


def _own_demande(request, reference) -> Demande:
    # Only the browser that sent it sees its confirmation and PDF.
    if reference not in request.session.get(SUBMITTED_KEY, []):
        raise Http404
    return get_object_or_404(Demande.objects.select_related("commune").prefetch_related("linfs", "enfants"), reference=reference)


def confirmation(request, reference):
    demande = _own_demande(request, reference)
    avip = structures_selectors.avip_near(demande.commune) if demande.en_insertion else []
    return render(request, "demandes/confirmation.html", {"demande": demande, "solutions": avip,
                                                           "rayon_km": structures_selectors.AVIP_RAYON_KM,
                                                           "today": timezone.localdate()})


def _pdf_response(demande: Demande, filename: str) -> HttpResponse:
    pdf = render_pdf("demandes/pdf/demande.html", {"demandes": [demande]}, accessible=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def confirmation_pdf(request, reference):
    demande = _own_demande(request, reference)
    return _pdf_response(demande, f"demande-{demande.reference}.pdf")


# The professional area of habilitated LINF persons --------------------------------------

@login_required
def pro_liste(request):
    user = request.user
    lieux = list(user.affectations.filter(role="linf").select_related("structure"))
    demandes = Demande.objects.visible_to(user).select_related("commune").prefetch_related("linfs__guichet")
    lieu = request.GET.get("lieu")
    if (lieu_pk := parse_pk(lieu)) is not None:
        demandes = demandes.filter(linfs=lieu_pk)
    now = timezone.now()
    rows = [
        {"demande": d, "age": d.age_jours(now), "delai": d.delai_jours(), "en_retard": d.en_retard(now)}
        for d in demandes.order_by("statut", "-cree_le")[:500]
    ]
    return render(request, "demandes/pro_liste.html", {"rows": rows, "lieux": lieux, "lieu": lieu})


@login_required
@require_POST
def pro_ouvrir(request, reference):
    """Opening changes the status and writes to the family: a button, never a link that a mail
    scanner or a browser's prefetch could follow."""
    demande = get_object_or_404(Demande.objects.visible_to(request.user), reference=reference)
    services.open_demande(demande=demande, user=request.user)
    return redirect("demandes_pro:detail", reference=demande.reference)


@login_required
def pro_detail(request, reference):
    demande = get_object_or_404(Demande.objects.visible_to(request.user), reference=reference)
    if demande.statut == StatutDemande.NOUVELLE:
        return render(request, "demandes/pro_ouvrir.html", {"demande": demande, "liste": reverse("demandes_pro:liste")})
    demande = services.read_demande(demande=demande, user=request.user)
    return render(request, "demandes/pro_detail.html", {"demande": demande, "today": timezone.localdate(),
                                                         "liste": reverse("demandes_pro:liste")})


@login_required
@require_POST
def pro_export(request):
    """Selected demandes (checkboxes) as XML or PDF; each export is logged per demande."""
    references = request.POST.getlist("references")
    demandes = Demande.objects.visible_to(request.user).filter(reference__in=references).order_by("cree_le")
    ids = list(demandes.values_list("pk", flat=True))
    if not ids:
        messages.error(request, "Cochez au moins une demande à exporter.")
        return redirect("demandes_pro:liste")
    fmt = request.POST.get("format")
    services.log_export(demande_ids=ids, user=request.user, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    selection = Demande.objects.filter(pk__in=ids).order_by("cree_le")
    if fmt == "xml":
        response = StreamingHttpResponse(exports.stream_xml(selection), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="demandes-{stamp}.xml"'
        return response
    pdf = render_pdf("demandes/pdf/demande.html", {"demandes": selection.select_related("commune").prefetch_related("enfants")},
                     accessible=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="demandes-{stamp}.pdf"'
    return response

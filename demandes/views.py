from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.forms import BaseFormSet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from formtools.wizard.views import NamedUrlSessionWizardView

from compteurs import usage
from habilitations.enums import Role
from linf.selectors import linfs_serving
from monenfant.decorators import keep_secret
from monenfant.limits import too_many
from monenfant.params import parse_pk
from notifications.pdf import render_pdf
from structures import selectors as structures_selectors
from structures.models import Commune, Structure

from . import exports, forms, selectors, services, statistiques
from .enums import Besoin, EvenementUsage, MoyenContact, Qualite, Situation, StatutDemande
from .models import Demande

SESSION_KEY = "demande_information"  # the wizard's storage prefix: its answers live under "wizard_demande_information"
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
TITLES = {name: title for name, title, _ in STEPS}
RATE = "5/h"  # submissions per address and hour
RATE_SUIVI = "30/h"  # follow-up pages and withdrawals per address and hour: no guessing of tokens, cheap or not
PLUS_VALABLE = "Une de vos réponses n'est plus valable (la date du jour a changé) : corrigez-la, puis continuez."


def _raw(post) -> dict[str, list[str]]:
    """What was posted, as the wizard's storage keeps it (lists of values), without the buttons."""
    return {k: v for k, v in post.lists() if k not in ("csrfmiddlewaretoken", "precedent")}


def _resolve_commune(form):
    return structures_selectors.resolve_commune(
        form.cleaned_data["commune"], code=form.cleaned_data.get("code_insee") or "",
        correspondance=structures_selectors.Correspondance.UNIQUE,
    ).commune


def _too_many(request) -> bool:
    # The counters live in Redis: when it is down, a family still sends its demande.
    return too_many(request, group="demande-information", key="ip", rate=RATE)


def _error_links(form) -> list[dict]:
    """The errors of a step, each with the id of the field it is about: the summary links to them."""
    if isinstance(form, BaseFormSet):
        first = form.forms[0]["date_naissance"].auto_id if form.forms else ""
        links = [{"id": first, "texte": e} for e in form.non_form_errors()]
        for number, child in enumerate(form.forms, start=1):
            links += [{"id": link["id"], "texte": f"Enfant {number} — {link['texte']}"} for link in _error_links(child)]
        return links
    if not form.is_bound:
        return []
    visible = [f for f in form.visible_fields() if f.name != "site_web"]
    links = []
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            links += [{"id": _field_id(visible[0]) if visible else "", "texte": e} for e in errors]
        else:
            links += [{"id": _field_id(form[name]), "texte": f"{form[name].label} : {e}"} for e in errors]
    return links


def _field_id(bound) -> str:
    if bound.name == "commune":
        return "commune"  # the autocomplete's input has its own id
    if getattr(bound.field.widget, "input_type", None) == "radio":
        return f"{bound.auto_id}_0"  # the first choice: the link puts the focus in the group
    return bound.auto_id


def _label(choices, code) -> str:
    return dict(choices).get(code, code)


class DemandeWizard(NamedUrlSessionWizardView):
    """The families' demande, one step a page, without JavaScript: each step posts to its own address,
    'Précédent' keeps what was typed, and every answer is checked again before the demande is sent."""

    form_list = [(name, form_class) for name, _, form_class in STEPS]
    template_name = "demandes/etape.html"

    def dispatch(self, request, *args, **kwargs):
        modified = request.session.modified
        response = super().dispatch(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            # Showing a step writes nothing a later request reads (each POST names its step in its address;
            # the wizard's storage only marks the session changed when read): no session write per page, and
            # no session row for a visitor who only looks. The page is rendered first, as it reads the storage.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            request.session.modified = modified
        return response

    def get_prefix(self, request, *args, **kwargs):
        return SESSION_KEY

    def get_form_prefix(self, step=None, form=None):
        # The fields keep their plain names (commune, qualite…), the children theirs (enfants-0-…).
        return "enfants" if (step or self.steps.current) == "enfants" else None

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"etape": step})

    # Entering a step -----------------------------------------------------------------------------

    def _enter(self, etape):
        """The step exists and the ones before it are answered; else a 404, or the first one missing."""
        if etape not in NAMES:
            raise Http404
        for previous in NAMES[:NAMES.index(etape)]:
            if self.storage.get_step_data(previous) is None:
                return redirect(self.get_step_url(previous))
        self.storage.current_step = etape
        return None

    def _drafts(self) -> dict:
        return self.storage.extra_data.get("brouillons", {})

    def _set_draft(self, etape, data):
        drafts = {**self._drafts(), etape: data}
        if data is None:
            del drafts[etape]
        self.storage.extra_data = {**self.storage.extra_data, "brouillons": drafts}

    def get(self, request, etape="commune"):
        if response := self._enter(etape):
            return response
        if etape == NAMES[-1]:
            forms_ = self._revalidate()
            if not isinstance(forms_, dict):
                return forms_
            return self.render(self.get_form(), recap=self._recap(forms_))
        # What was typed and left by 'Précédent' first, else the step's answer, else an empty form.
        draft = self._drafts().get(etape)
        data = MultiValueDict(draft) if draft is not None else self.storage.get_step_data(etape)
        return self.render(self.get_form(data=data))

    def post(self, request, etape="commune"):
        if response := self._enter(etape):
            return response
        index = NAMES.index(etape)
        if "precedent" in request.POST and index > 0:
            # Going back keeps what was typed on this step, even unfinished.
            self._set_draft(etape, _raw(request.POST))
            return redirect(self.get_step_url(NAMES[index - 1]))
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self._render_step(form, status=400)
        data = _raw(request.POST)
        if etape == "commune":
            commune = _resolve_commune(form)
            if commune is None:
                form.add_error("commune", "Commune introuvable : choisissez-la dans la liste ou tapez son code postal.")
                return self._render_step(form, status=400)
            if not linfs_serving(commune).exists():
                statistiques.count_unserved(commune)
                return self.render(form, status=400, commune=commune, aucun_linf=True, aide=selectors.aide_proche(commune))
            if self.storage.get_step_data("commune") is None:  # coming back to change the commune is the same demande
                usage.count(EvenementUsage.DEMANDE_COMMENCEE, departement=commune.departement_id)
            data = {"commune": [str(commune)], "code_insee": [commune.code_insee]}
        if etape == "contact" and form.cleaned_data.get("site_web"):
            form.add_error(None, "Votre demande n'a pas pu être enregistrée.")  # a robot filled the hidden field
            return self._render_step(form, status=400)
        if etape == NAMES[-1]:
            return self._send(form)
        self.storage.set_step_data(etape, data)
        if etape in self._drafts():
            self._set_draft(etape, None)
        return redirect(self.get_step_url(NAMES[index + 1]))

    def _render_step(self, form, status):
        extra = {}
        if self.steps.current == NAMES[-1]:
            forms_ = self._revalidate()
            if not isinstance(forms_, dict):
                return forms_
            extra["recap"] = self._recap(forms_)
        return self.render(form, status=status, **extra)

    # Sending ---------------------------------------------------------------------------------------

    def _revalidate(self):
        """Every answered step checked again, as of now: a date of 'today' typed before midnight is no
        longer valid after it. The first step that fails is shown again, with its errors."""
        forms_ = {}
        for step in NAMES[:-1]:
            form = self.get_form(step=step, data=self.storage.get_step_data(step))
            if not form.is_valid():
                return self.render_revalidation_failure(step, form)
            forms_[step] = form
        # Read once, for the check and the answers (the recap, the demande).
        self.commune = Commune.objects.filter(code_insee=forms_["commune"].cleaned_data["code_insee"]).first()
        if self.commune is None:
            return self.render_revalidation_failure("commune", forms_["commune"])
        return forms_

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.error(self.request, PLUS_VALABLE)
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def _send(self, form):
        forms_ = self._revalidate()
        if not isinstance(forms_, dict):
            return forms_
        if _too_many(self.request):
            return self.render(form, status=429, recap=self._recap(forms_), limite=True)
        return self.done([*forms_.values(), form], form_dict={**forms_, NAMES[-1]: form})

    def done(self, form_list, form_dict, **kwargs):
        data = self._answers(form_dict)
        try:
            demande = services.create_demande_information(**data)
        except services.AucunLieuInformation as error:
            messages.error(self.request, str(error))
            return redirect(self.get_step_url("commune"))
        usage.count(EvenementUsage.DEMANDE_ENVOYEE, departement=demande.commune.departement_id)
        self.storage.reset()
        self.request.session[SUBMITTED_KEY] = [*self.request.session.get(SUBMITTED_KEY, []), demande.reference][-10:]
        return redirect("demandes:confirmation", reference=demande.reference)

    def _answers(self, form_dict) -> dict:
        """The validated answers of every step, as create_demande_information takes them (after _revalidate)."""
        data = {}
        for step in NAMES[1:-1]:
            form = form_dict[step]
            if step == "enfants":
                data["enfants"] = [{k: v for k, v in f.cleaned_data.items() if v} for f in form.forms
                                   if f.cleaned_data and any(f.cleaned_data.values())]
            else:
                data.update(form.cleaned_data)
        data.pop("site_web", None)
        data["commune"] = self.commune
        return data

    def _recap(self, form_dict) -> dict:
        recap = self._answers(form_dict)
        recap.update(qualite=_label(Qualite.choices, recap["qualite"]), besoin=_label(Besoin.choices, recap["besoin"]),
                     situation=_label(Situation.choices, recap["situation"]),
                     moyen_prefere=_label(MoyenContact.choices, recap["moyen_prefere"]))
        return recap

    # Rendering -------------------------------------------------------------------------------------

    def render(self, form=None, status=200, **kwargs):
        form = form or self.get_form()
        context = self.get_context_data(form=form, **kwargs)
        return self.render_to_response(context, status=status)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.pop("brouillons", None)
        name = self.steps.current
        context.update(etape=name, titre=TITLES[name], numero=NAMES.index(name) + 1, total=len(STEPS), steps=STEPS,
                       erreurs=_error_links(form))
        return context


# The recap's POST sends the demande: the "done" step is never routed.
wizard = DemandeWizard.as_view(url_name="demandes:etape", done_step_name="envoi")


def _own_demande(request, reference) -> Demande:
    # Only the browser that sent it sees its confirmation and PDF.
    if reference not in request.session.get(SUBMITTED_KEY, []):
        raise Http404
    linfs = Prefetch("linfs", queryset=Structure.objects.select_related("guichet"))  # one query for both
    return get_object_or_404(Demande.objects.select_related("commune").prefetch_related(linfs, "enfants"), reference=reference)


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


# The family follows its demande: the private link of its confirmation email -------------

def _suivi_limite(request):
    """Too many follow-up requests from this address: a 429 page, else None."""
    if too_many(request, group="suivi-demande", key="ip", rate=RATE_SUIVI):
        return render(request, "demandes/suivi_limite.html", status=429)
    return None


def _demande_suivie(jeton) -> Demande:
    demande = selectors.demande_suivie(jeton)
    if demande is None:
        raise Http404
    return demande


@require_GET
def suivi(request, jeton):
    if response := _suivi_limite(request):
        return response
    demande = _demande_suivie(jeton)
    return render(request, "demandes/suivi.html", {"demande": demande, "lieu": selectors.lieu_traitant(demande),
                                                    "en_retard": demande.en_retard()})


@require_http_methods(["GET", "HEAD", "POST"])
def retirer(request, jeton):
    """The question first (GET never withdraws), then the button: the demande is destroyed at once."""
    response = _suivi_limite(request)
    if response is None:
        demande = _demande_suivie(jeton)
        if request.method == "POST":
            services.retirer(jeton=demande.jeton_suivi)
            return redirect("demandes:retiree")
        response = render(request, "demandes/retirer.html", {"demande": demande})
    # The page holds a form: a `no-referrer` page would post with `Origin: null`, which CSRF refuses; the
    # origin alone (never the path, which holds the key) goes with its requests.
    keep_secret(response, referrer=False)
    response["Referrer-Policy"] = "strict-origin"
    return response


@require_GET
def retiree(request):
    return render(request, "demandes/retiree.html")


# The professional area of habilitated LINF persons --------------------------------------

@login_required
def pro_liste(request):
    user = request.user
    lieux = list(user.affectations.filter(role=Role.LINF).select_related("structure"))
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
    services.export_demandes(demande_ids=ids, user=request.user, fmt=fmt)
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

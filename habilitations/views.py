from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from monenfant.decorators import keep_secret
from structures import selectors as structures_selectors
from structures import services as structures_services
from structures.enums import Rubrique
from structures.models import CONSENTEMENT_TEXTE, Caf, Structure

from . import services, two_factor
from .enums import Role, StatutHabilitation
from .forms import (
    ChoixCafForm,
    CodeForm,
    ConnexionForm,
    DemandeHabilitationForm,
    FicheAssmatForm,
    FicheGestionnaireForm,
    HoraireFormSet,
    MotDePasseOublieForm,
    PersonnesFormSet,
)
from .workflow import DemandeHabilitation

PRO_ROLES = (Role.GESTIONNAIRE, Role.ASSMAT)


def _my_structures(user):
    return Structure.objects.filter(pk__in=user.structures_habilitees(*PRO_ROLES)).select_related("commune")


@login_required
def accueil(request):
    user = request.user
    roles = {a.role for a in user.affectations.all()}
    structures = list(_my_structures(user))
    vues = structures_selectors.vues_des_fiches([s.pk for s in structures], timezone.localdate())
    for s in structures:
        s.vues = vues[s.pk]
    return render(request, "habilitations/accueil.html", {
        "structures": structures, "consentement_texte": CONSENTEMENT_TEXTE, "back_office": user.departements_geres() != set(),
        "lieux_information": Structure.objects.filter(pk__in=user.structures_habilitees(Role.LINF)),
        "roles": [Role(r).label for r in sorted(roles)],
    })


@login_required
def fiche(request, pk: int):
    structure = get_object_or_404(_my_structures(request.user), pk=pk)
    assmat = structure.rubrique == Rubrique.ASSMAT
    form_class = FicheAssmatForm if assmat else FicheGestionnaireForm
    form = form_class(request.POST or None, instance=structure)
    horaires = None if assmat else HoraireFormSet(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid() and (horaires is None or horaires.is_valid()):
        with transaction.atomic():
            services.update_fiche(
                structure=structure, valeurs=form.valeurs(),
                creneaux=form.cleaned_data["creneaux"] if assmat else None, confirme="confirmer" in request.POST,
            )
            if assmat:
                # After the places: the half-days with a place are worked too.
                structures_services.declarer_jours_de_travail(
                    structure=structure, creneaux=form.cleaned_data["creneaux_travailles"])
            if horaires is not None:
                horaires.save()
        messages.success(request, "Votre fiche est à jour et confirmée aujourd'hui. Les familles voient déjà ces "
                                  "informations." if "confirmer" in request.POST else
                         "Votre fiche est à jour. Les familles voient déjà ces informations.")
        return redirect("pro:accueil")
    status = 400 if request.method == "POST" else 200
    assistants = (Structure.objects.filter(rubrique=Rubrique.ASSMAT, mam=structure).order_by("nom")
                  if structure.rubrique == Rubrique.MAM else [])
    return render(request, "habilitations/fiche_form.html", {
        "structure": structure, "form": form, "horaires": horaires, "assmat": assmat, "assistants": assistants,
    }, status=status)


@login_required
@require_POST
def assistant_mam(request, pk: int, assistant_pk: int):
    """The MAM's manager confirms, or declines, an assistant maternel who says they work there."""
    mam = get_object_or_404(_my_structures(request.user).filter(rubrique=Rubrique.MAM), pk=pk)
    assistant = get_object_or_404(Structure.objects.filter(rubrique=Rubrique.ASSMAT, mam=mam), pk=assistant_pk)
    confirme = request.POST.get("decision") == "confirmer"
    structures_services.confirmer_assistant_mam(mam=mam, assistant=assistant, par=request.user, confirme=confirme)
    messages.success(request, f"{assistant.nom} est présenté sur la fiche de la maison, s'il a accepté que sa fiche soit "
                              "publiée." if confirme else f"{assistant.nom} n'est plus rattaché à cette maison.")
    return redirect("pro:fiche", pk=mam.pk)


@login_required
@require_POST
def consentement(request, pk: int):
    structure = get_object_or_404(_my_structures(request.user).filter(rubrique=Rubrique.ASSMAT), pk=pk)
    consent = request.POST.get("consentement") == "donner"
    structures_services.set_consent(structure=structure, consent=consent)
    if consent:
        messages.success(request, "Merci : votre fiche est publiée. Les familles vous trouvent dans la recherche.")
    else:
        messages.success(request, "Votre consentement est retiré : votre fiche n'apparaît plus sur le site public.")
    return redirect("pro:accueil")


class Connexion(auth_views.LoginView):
    template_name = "habilitations/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("pro:accueil")


@login_required
def second_facteur(request):
    """Each login of a person who reads families' data: the code of their app, or a recovery code."""
    user = request.user
    if not user.needs_second_factor or user.is_verified():
        return redirect(_next(request))
    if not two_factor.is_enrolled(user):
        return redirect(f"{reverse('pro:activer_second_facteur')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request=request, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            return redirect(_next(request))
        form.add_error("code", "Ce code n'est pas valable : il a peut-être expiré ou déjà servi. Vérifiez l'heure "
                               "de votre téléphone, attendez le code suivant ou utilisez un code de secours.")
    status = 400 if request.method == "POST" else 200
    return render(request, "habilitations/second_facteur.html", {"form": form, "next": _next(request)}, status=status)


@login_required
def activer_second_facteur(request):
    """First login after activation: the person pairs an authenticator app, then keeps recovery codes."""
    user = request.user
    if not user.needs_second_factor or user.is_verified():
        return redirect(_next(request))
    if two_factor.is_enrolled(user):
        # Pairing a new phone is never the way around the second factor: verify, or ask the CAF to reset it.
        return redirect(f"{reverse('pro:second_facteur')}?{urlencode({'next': _next(request)})}")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            return render(request, "habilitations/codes_de_secours.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", "Ce code ne correspond pas : vérifiez que l'heure de votre téléphone est juste et "
                               "saisissez le code affiché maintenant.")
    status = 400 if request.method == "POST" else 200
    return render(request, "habilitations/activer_second_facteur.html", {
        "form": form, "next": _next(request), "qr_code": two_factor.qr_code_svg(device),
        "cle": two_factor.readable_key(device),
    }, status=status)


class MotDePasseOublie(auth_views.PasswordResetView):
    template_name = "habilitations/mot_de_passe_oublie.html"
    form_class = MotDePasseOublieForm
    email_template_name = "habilitations/emails/mot_de_passe_oublie.txt"
    subject_template_name = "habilitations/emails/mot_de_passe_oublie_sujet.txt"
    success_url = reverse_lazy("pro:mot_de_passe_oublie_envoye")


class NouveauMotDePasse(auth_views.PasswordResetConfirmView):
    template_name = "habilitations/nouveau_mot_de_passe.html"
    success_url = reverse_lazy("pro:connexion")

    def dispatch(self, *args, **kwargs):
        # The link with the token redirects at once to ".../set-password/" (the token goes to the
        # session): that URL holds no secret, and its form must keep a Referer for CSRF.
        in_url = kwargs.get("token") != self.reset_url_token
        return keep_secret(super().dispatch(*args, **kwargs), referrer=in_url)

    def form_valid(self, form):
        form.user.doit_changer_mot_de_passe = False
        messages.success(self.request, "Votre mot de passe est enregistré : connectez-vous.")
        return super().form_valid(form)


class ChangementMotDePasse(auth_views.PasswordChangeView):
    template_name = "habilitations/mot_de_passe.html"
    success_url = reverse_lazy("pro:accueil")

    def form_valid(self, form):
        form.user.doit_changer_mot_de_passe = False
        messages.success(self.request, "Votre mot de passe est changé.")
        return super().form_valid(form)


def demande_habilitation(request):
    """Public: a structure manager, logged in or not, asks a CAF for an habilitation."""
    choix = ChoixCafForm(request.GET or None)
    caf = None
    if choix.is_valid():
        caf = Caf.objects.get(departement=choix.cleaned_data["departement"])
    if caf is None:
        return render(request, "habilitations/demande_habilitation.html", {"choix": choix})
    form = DemandeHabilitationForm(request.POST or None, caf=caf)
    personnes = PersonnesFormSet(request.POST or None, prefix="personnes")
    limite = None
    if request.method == "POST" and form.is_valid() and personnes.is_valid():
        limite = form.limite_atteinte(request)
        if limite is None:
            data = form.cleaned_data
            demande = services.create_demande_habilitation(
                caf=caf, organisme_nom=data["organisme_nom"], organisme_siret=data["organisme_siret"],
                organisme_adresse=data["organisme_adresse"], demandeur_nom=data["demandeur_nom"],
                demandeur_email=data["demandeur_email"], demandeur_telephone=data["demandeur_telephone"],
                structures=data["structures"], communes=data["communes"],
                delai_recuperation_jours=data["delai_recuperation_jours"],
                personnes=[f.cleaned_data for f in personnes.forms if f.cleaned_data],
            )
            return redirect("pro:suivi_habilitation", jeton=demande.jeton_suivi)
    # Over a limit: the form again as it was typed (only the challenge is new), and nothing sent.
    status = 200 if request.method != "POST" else 429 if limite else 400
    return render(request, "habilitations/demande_habilitation.html",
                  {"choix": choix, "caf": caf, "form": form, "personnes": personnes, "limite": limite}, status=status)


def suivi_habilitation(request, jeton: str):
    demande = get_object_or_404(DemandeHabilitation.objects.select_related("caf"), jeton_suivi=jeton)
    etape = {StatutHabilitation.NON_TRAITEE: 1, StatutHabilitation.CONVENTION_ENVOYEE: 2}.get(demande.statut, 3)
    return render(request, "habilitations/suivi_habilitation.html", {"demande": demande, "etape": etape})

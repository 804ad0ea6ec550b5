import re

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from monenfant import params
from monenfant.francais import pluriel
from monenfant.limits import too_many
from notifications.services import notify
from structures.enums import Jour, Rubrique
from structures.models import Caf, Commune, DemiJournee, Horaire, Structure
from structures.selectors import Correspondance, resolve_commune

from .delais import DELAI_MAX, DELAI_MIN, DELAI_PAR_DEFAUT
from .models import identifiant
from .services import CHAMPS_FICHE_ASSMAT, CHAMPS_FICHE_GESTIONNAIRE, CHAMPS_PLACES_PAR_AGE, champs_fiche

CRENEAUX = [
    (f"{jour.value}-{demi.value}", f"{jour.label} {demi.label}")
    for jour in Jour if jour != Jour.DIMANCHE
    for demi in DemiJournee
]



class CaptchaEnFrancais(CaptchaTextInput):
    """The image described in French and, beside it, the code read aloud (monenfant.captcha_audio)."""

    template_name = "habilitations/captcha.html"

class ConnexionForm(AuthenticationForm):
    username = forms.EmailField(label="Adresse électronique", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé : contactez votre CAF.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # A password chosen under older rules (8 characters, before 12) still opens the door this once,
        # and the person chooses a new one before anything else (habilitations.middleware).
        try:
            password_validation.validate_password(self.cleaned_data.get("password") or "", user)
        except ValidationError:
            if not user.doit_changer_mot_de_passe:
                user.doit_changer_mot_de_passe = True
                user.save(update_fields=["doit_changer_mot_de_passe"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification", max_length=20,
        help_text="Les 6 chiffres affichés par votre application d'authentification, ou un code de secours.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class MotDePasseOublieForm(PasswordResetForm):
    # The convention asks for a challenge against robots: the person types the text shown.
    captcha = CaptchaField(label="Recopiez le texte de l'image", widget=CaptchaEnFrancais,
                           help_text="Les lettres et chiffres affichés, ou écoutez-les.")
    # Nobody floods a person's mailbox with reset links: a few an hour per address, any spelling.
    RATE = "3/h"

    def save(self, *args, request=None, **kwargs):
        address = identifiant(self.cleaned_data["email"])
        if request is not None and too_many(request, group="mot-de-passe-oublie", key=lambda _group, _request: address,
                                            rate=self.RATE):
            return  # the same page as for any address: it tells nobody whether the limit was reached
        super().save(*args, request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # Through the outbox like every email (sent by the worker, retried, shown when it fails); the link
        # is blanked from the stored body once sent.
        sujet = "".join(render_to_string(subject_template_name, context).splitlines())
        notify(to=[to_email], sujet=sujet, template=email_template_name, context=context, secret=True)


# What a person may type for prices in /pro/: plausibility bounds against a slip (a monthly amount typed as hourly),
# not legal limits. The simulator refuses the same maxima for what a family types (simulateur.calculs
# MAX_SALAIRE_HORAIRE, MAX_INDEMNITE_ENTRETIEN, MAX_PRIX_REPAS); structures and habilitations do not import the
# simulator (monenfant/tests/test_architecture.py), so the figures are repeated here: change both together.
MAX_SALAIRE_HORAIRE = 30
MAX_INDEMNITE_ENTRETIEN = 50
MAX_PRIX_REPAS = 30
# A micro-crèche outside the PSU: an hour of accueil costs a few euros to a dozen; beyond this, a slip.
MAX_PRIX_HEURE_MICRO_CRECHE = 20
MSG_PLACES_NEGATIVES = "Le nombre de places ne peut pas être négatif."


def _montant(label: str, help_text: str = "") -> forms.DecimalField:
    """An amount in euros as people type it: "4,50" or "4.50", two decimals at most."""
    return forms.DecimalField(
        label=label, help_text=help_text, required=False, localize=True, max_digits=5, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": "Saisissez un montant en euros, par exemple 4,50."},
    )


def _dans_les_bornes(valeur, *, maximum, message, strictement_positif=False):
    if valeur is None:
        return valeur
    if valeur < 0 or (strictement_positif and valeur == 0) or valeur > maximum:
        raise ValidationError(message)
    return valeur


class FicheGestionnaireForm(forms.ModelForm):
    site_web = forms.URLField(label="Site internet", required=False, assume_scheme="https")
    tarif_horaire = _montant(
        "Prix d'une heure d'accueil (€)",
        "Ce que vous facturez aux familles pour une heure, avant le complément de libre choix du mode de garde "
        "(CMG) de la CAF. Par exemple 9,50.",
    )

    class Meta:
        model = Structure
        fields = CHAMPS_FICHE_GESTIONNAIRE
        widgets = {"presentation": forms.Textarea(attrs={"rows": 5})}
        labels = {"places_bebes": "Bébés (moins de 18 mois)", "places_moyens": "Moyens (de 18 à 30 mois)",
                  "places_grands": "Grands (plus de 30 mois)"}
        help_texts = {"places_disponibles": "Le nombre de places que vous pouvez proposer maintenant."}
        error_messages = {name: {"min_value": MSG_PLACES_NEGATIVES} for name in CHAMPS_PLACES_PAR_AGE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Places by age group for a crèche only, a price for a micro-crèche outside the PSU only (services.champs_fiche).
        champs = champs_fiche(self.instance)
        for name in [n for n in self.fields if n not in champs]:
            del self.fields[name]

    @property
    def places_par_age(self) -> list:
        """The age groups' fields, drawn together in one fieldset."""
        return [self[name] for name in CHAMPS_PLACES_PAR_AGE if name in self.fields]

    @property
    def erreurs_places_par_age(self) -> list[str]:
        return [m for e in self.non_field_errors().as_data() if e.code == "places_par_age" for m in e.messages]

    def valeurs(self) -> dict:
        """What services.update_fiche saves: the fields this fiche has."""
        return {name: self.cleaned_data[name] for name in self.fields}

    def clean_tarif_horaire(self):
        return _dans_les_bornes(
            self.cleaned_data["tarif_horaire"], maximum=MAX_PRIX_HEURE_MICRO_CRECHE, strictement_positif=True,
            message=f"Indiquez un prix horaire supérieur à 0 € et d'au plus {MAX_PRIX_HEURE_MICRO_CRECHE} €.",
        )

    def clean(self):
        data = super().clean()
        capacite = self.instance.capacite
        par_age = [data.get(name) for name in CHAMPS_PLACES_PAR_AGE if name in self.fields]
        total = sum(n for n in par_age if n is not None and n > 0)
        if capacite is not None and total > capacite:
            self.add_error(None, ValidationError(
                f"Les places par âge ({total} au total) dépassent la capacité d'accueil de la crèche "
                f"({capacite} place{pluriel(capacite)}). Corrigez les nombres, ou demandez à votre CAF de mettre "
                "à jour la capacité.", code="places_par_age"))
        return data


class FicheAssmatForm(forms.ModelForm):
    creneaux_travailles = forms.MultipleChoiceField(
        label="Demi-journées où vous travaillez", choices=CRENEAUX, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Vos jours de travail, affichés sur votre fiche. Si vous travaillez le samedi, les familles qui "
                  "cherchent un accueil ouvert le samedi vous trouvent. Une demi-journée où vous avez une place "
                  "compte parmi vos demi-journées de travail.",
    )
    creneaux = forms.MultipleChoiceField(
        label="Demi-journées où vous avez une place", choices=CRENEAUX, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tarif_horaire = _montant("Salaire horaire net (€)", "Le salaire net que vous demandez pour une heure d'accueil, "
                                                        "par exemple 4,50.")
    indemnite_entretien = _montant("Indemnité d'entretien (€ par jour)",
                                   "Pour une journée d'accueil : couches, produits d'hygiène, jeux… Par exemple 4,00.")
    prix_repas = _montant("Prix d'un repas (€), vide si les parents le fournissent")

    class Meta:
        model = Structure
        fields = CHAMPS_FICHE_ASSMAT
        labels = {"capacite": "Nombre de places de votre agrément", "age_min_mois": "Âge minimum accepté (mois)",
                  "age_max_mois": "Âge maximum accepté (mois)",
                  "mam": "Je travaille dans une maison d'assistants maternels (MAM)"}
        help_texts = {"mam": "Elle vous présente sur sa fiche une fois que son gestionnaire ou la CAF l'a confirmé. "
                             "Laissez vide si vous accueillez à votre domicile."}
        widgets = {
            "presentation": forms.Textarea(attrs={"rows": 4}), "pedagogie": forms.Textarea(attrs={"rows": 3}),
            "disponible_a_partir_du": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The MAM of their département only: an id typed into a crafted form is refused.
        self.fields["mam"].queryset = Structure.objects.filter(
            rubrique=Rubrique.MAM, fermee_le__isnull=True, commune__departement=self.instance.commune.departement_id,
        ).select_related("commune").order_by("commune__nom", "nom")
        self.fields["mam"].label_from_instance = lambda mam: f"{mam.nom} ({mam.commune.nom})"
        if self.instance.pk:
            self.fields["creneaux"].initial = [
                f"{c.jour}-{c.demi_journee}" for c in self.instance.creneaux_disponibles.all()
            ]
            self.fields["creneaux_travailles"].initial = [
                f"{c.jour}-{c.demi_journee}" for c in self.instance.creneaux_travailles.all()
            ]

    @staticmethod
    def _paires(codes) -> list[tuple[int, str]]:
        """The (day, half-day) pairs the services take, from the boxes' "1-matin" codes."""
        return [(int(code.split("-")[0]), code.split("-")[1]) for code in codes]

    def clean_creneaux(self) -> list[tuple[int, str]]:
        return self._paires(self.cleaned_data["creneaux"])

    def clean_creneaux_travailles(self) -> list[tuple[int, str]]:
        return self._paires(self.cleaned_data["creneaux_travailles"])

    def clean_tarif_horaire(self):
        return _dans_les_bornes(
            self.cleaned_data["tarif_horaire"], maximum=MAX_SALAIRE_HORAIRE, strictement_positif=True,
            message=f"Indiquez un salaire horaire net supérieur à 0 € et d'au plus {MAX_SALAIRE_HORAIRE} €.",
        )

    def clean_indemnite_entretien(self):
        return _dans_les_bornes(
            self.cleaned_data["indemnite_entretien"], maximum=MAX_INDEMNITE_ENTRETIEN,
            message=f"Indiquez une indemnité d'entretien comprise entre 0 et {MAX_INDEMNITE_ENTRETIEN} € par jour.",
        )

    def clean_prix_repas(self):
        return _dans_les_bornes(
            self.cleaned_data["prix_repas"], maximum=MAX_PRIX_REPAS,
            message=f"Indiquez un prix de repas compris entre 0 et {MAX_PRIX_REPAS} €, ou laissez vide si les "
                    "parents fournissent les repas.",
        )

    def valeurs(self) -> dict:
        """What services.update_fiche saves (the half-days go apart)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def clean(self):
        data = super().clean()
        places, capacite = data.get("places_disponibles"), data.get("capacite")
        if places is not None and capacite is not None and places > capacite:
            self.add_error("places_disponibles", "Vous ne pouvez pas proposer plus de places que votre agrément.")
        return data


HoraireFormSet = forms.inlineformset_factory(
    Structure, Horaire, fields=["jour", "ouverture", "fermeture"], extra=1, can_delete=True,
    widgets={"ouverture": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
             "fermeture": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")},
)


class ChoixCafForm(forms.Form):
    departement = forms.ChoiceField(label="Département de la CAF à laquelle vous vous adressez")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Choisissez")] + [
            (c.departement_id, f"{c.departement_id} — {c.nom}") for c in Caf.objects.order_by("departement")
        ]


def _en_clair(rate: str, what: str) -> str:
    count, period = rate.split("/")
    return f"{count} {what} {({'h': 'par heure', 'd': 'par jour'})[period]}"


def boite(email: str) -> str:
    """The mailbox an address reaches, whatever its spelling: case, spaces, and a "+tag" most
    providers deliver to the same box (so that the limit per address is one limit per person)."""
    local, at, domain = identifiant(email).rpartition("@")
    return f"{local.split('+')[0]}{at}{domain}"


# A list of communes as people paste it: one a line (from a spreadsheet's column), or on one line separated by
# commas or semicolons. No commune's name holds any of these.
SEPARATEURS_COMMUNES = re.compile(r"[,;\r\n]+")


class DemandeHabilitationForm(forms.Form):
    # Anyone may send this form without an account, and it makes us write to an address typed here:
    # the same challenge as the password reset, and limits counted on the requests that would be sent
    # (captcha solved, form valid), so that a person correcting mistakes is never held back.
    # A real organisme asks once per CAF (one request names all its lieux d'information of the
    # département), and a form filled in by hand (organisme, lieux, communes, persons, challenge)
    # takes minutes. Ten an hour from one connection is one every six minutes without a pause, beyond
    # even a federation filing for its members from one office or a collectivité behind one address;
    # five a day to one mailbox is more requests than an organisme has CAFs to ask in a day. Over the
    # limit, nothing is sent: at most five of our acknowledgements a day reach an address someone else
    # typed, and they carry none of the text typed (habilitations.services).
    RATE_CONNEXION = "10/h"
    RATE_ADRESSE = "5/d"

    organisme_nom = forms.CharField(label="Nom de l'organisme gestionnaire", max_length=200)
    organisme_siret = forms.RegexField(label="SIRET (facultatif)", regex=r"^\d{14}$", required=False,
                                       error_messages={"invalid": "Un SIRET compte 14 chiffres."})
    organisme_adresse = forms.CharField(label="Adresse de l'organisme", max_length=255)
    demandeur_nom = forms.CharField(label="Vos prénom et nom", max_length=150)
    demandeur_email = forms.EmailField(label="Votre adresse électronique")
    demandeur_telephone = forms.CharField(label="Votre téléphone (facultatif)", max_length=20, required=False)
    structures = params.ModelMultipleChoiceField(
        label="Lieux d'information concernés", queryset=Structure.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un lieu d'information."},
    )
    communes = forms.CharField(
        label="Communes pour lesquelles vous demandez l'habilitation", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Noms ou codes INSEE, une commune par ligne ou séparées par des virgules. "
                  "Par exemple : Le Puy-en-Velay, Espaly-Saint-Marcel, 43041",
    )
    delai_recuperation_jours = forms.IntegerField(
        label="Délai pour récupérer les demandes des familles (jours)", min_value=DELAI_MIN, max_value=DELAI_MAX,
        initial=DELAI_PAR_DEFAUT,
    )
    # The password reset's challenge (MotDePasseOublieForm): the person types the text shown.
    captcha = CaptchaField(label="Recopiez le texte de l'image", widget=CaptchaEnFrancais,
                           help_text="Les lettres et chiffres affichés, ou écoutez-les.")

    def __init__(self, *args, caf, **kwargs):
        super().__init__(*args, **kwargs)
        self.caf = caf
        self.fields["structures"].queryset = Structure.objects.published().filter(
            rubrique=Rubrique.LINF, commune__departement=caf.departement_id
        ).select_related("commune")

    def limite_atteinte(self, request) -> str | None:
        """Count this request (once the form is valid): what to tell the person when it is over a limit."""
        if too_many(request, group="demande-habilitation", key="ip", rate=self.RATE_CONNEXION):
            limite = "une même connexion envoie au plus " + _en_clair(self.RATE_CONNEXION, "demandes d'habilitation")
        else:
            address = boite(self.cleaned_data["demandeur_email"])
            if not too_many(request, group="demande-habilitation-adresse", key=lambda _group, _request: address,
                            rate=self.RATE_ADRESSE):
                return None
            limite = "une même adresse électronique reçoit au plus " + _en_clair(self.RATE_ADRESSE, "accusés de réception")
        return f"Pour protéger le service, {limite}."

    def clean_communes(self):
        found, unknown = [], []
        communes = Commune.objects.filter(departement=self.caf.departement_id)
        for item in [i.strip() for i in SEPARATEURS_COMMUNES.split(self.cleaned_data["communes"]) if i.strip()]:
            match = resolve_commune(item, correspondance=Correspondance.EXACTE, parmi=communes).commune
            if match is None:
                unknown.append(item)
            elif match not in found:
                found.append(match)
        if unknown:
            raise ValidationError(
                f"Hors du territoire de la {self.caf.nom} ou inconnue(s) : {', '.join(unknown)}. "
                "Indiquez des communes de ce département."
            )
        if not found:
            raise ValidationError("Indiquez au moins une commune.")
        return found


class PersonneForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Adresse électronique")
    fonction = forms.CharField(label="Fonction", max_length=150)


class BasePersonnesFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        emails = [f.cleaned_data["email"].lower() for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if not emails:
            raise ValidationError("Nommez au moins une personne à habiliter.")
        duplicates = sorted({e for e in emails if emails.count(e) > 1})
        if duplicates:
            raise ValidationError(f"Chaque personne a sa propre adresse : {', '.join(duplicates)} est indiquée deux fois.")


PersonnesFormSet = forms.formset_factory(PersonneForm, formset=BasePersonnesFormSet, extra=3, max_num=20)

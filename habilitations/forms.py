from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.db.models import Q

from monenfant import params
from monenfant.limits import too_many
from structures.enums import Jour, Rubrique
from structures.models import Caf, Commune, DemiJournee, Horaire, Structure
from structures.text import normalize

from .models import identifiant

CRENEAUX = [
    (f"{jour.value}-{demi.value}", f"{jour.label} {demi.label}")
    for jour in Jour if jour != Jour.DIMANCHE
    for demi in DemiJournee
]


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
    captcha = CaptchaField(label="Recopiez le texte de l'image", help_text="Les lettres et chiffres affichés.")
    # Nobody floods a person's mailbox with reset links: a few an hour per address, any spelling.
    RATE = "3/h"

    def save(self, *args, request=None, **kwargs):
        address = identifiant(self.cleaned_data["email"])
        if request is not None and too_many(request, group="mot-de-passe-oublie", key=lambda _group, _request: address,
                                            rate=self.RATE):
            return  # the same page as for any address: it tells nobody whether the limit was reached
        super().save(*args, request=request, **kwargs)


class FicheGestionnaireForm(forms.ModelForm):
    site_web = forms.URLField(label="Site internet", required=False, assume_scheme="https")

    class Meta:
        model = Structure
        fields = ["presentation", "telephone", "email", "site_web", "places_disponibles", "accueil_handicap",
                  "horaires_atypiques"]
        widgets = {"presentation": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"places_disponibles": "Le nombre de places que vous pouvez proposer maintenant."}


class FicheAssmatForm(forms.ModelForm):
    creneaux = forms.MultipleChoiceField(
        label="Demi-journées où vous avez une place", choices=CRENEAUX, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Structure
        fields = ["presentation", "telephone", "age_min_mois", "age_max_mois", "capacite", "places_disponibles",
                  "disponible_a_partir_du", "horaires_atypiques", "accueil_handicap", "jardin", "animaux", "langues",
                  "pedagogie"]
        labels = {"capacite": "Nombre de places de votre agrément", "age_min_mois": "Âge minimum accepté (mois)",
                  "age_max_mois": "Âge maximum accepté (mois)"}
        widgets = {
            "presentation": forms.Textarea(attrs={"rows": 4}), "pedagogie": forms.Textarea(attrs={"rows": 3}),
            "disponible_a_partir_du": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["creneaux"].initial = [
                f"{c.jour}-{c.demi_journee}" for c in self.instance.creneaux_disponibles.all()
            ]

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


class DemandeHabilitationForm(forms.Form):
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
        help_text="Noms ou codes INSEE, séparés par des virgules. Par exemple : Le Puy-en-Velay, Espaly-Saint-Marcel, 43041",
    )
    delai_recuperation_jours = forms.IntegerField(
        label="Délai pour récupérer les demandes des familles (jours)", min_value=5, max_value=15, initial=10,
    )

    def __init__(self, *args, caf, **kwargs):
        super().__init__(*args, **kwargs)
        self.caf = caf
        self.fields["structures"].queryset = Structure.objects.published().filter(
            rubrique=Rubrique.LINF, commune__departement=caf.departement_id
        ).select_related("commune")

    def clean_communes(self):
        found, unknown = [], []
        communes = Commune.objects.filter(departement=self.caf.departement_id)
        for item in [i.strip() for i in self.cleaned_data["communes"].replace(";", ",").split(",") if i.strip()]:
            match = communes.filter(Q(code_insee=item.upper()) | Q(nom_normalise=normalize(item))).first()
            (found if match else unknown).append(match or item)
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

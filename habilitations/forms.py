from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from structures.enums import Jour
from structures.models import DemiJournee, Horaire, Structure

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


class MotDePasseOublieForm(PasswordResetForm):
    # The convention asks for a challenge against robots: the person types the text shown.
    captcha = CaptchaField(label="Recopiez le texte de l'image", help_text="Les lettres et chiffres affichés.")


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

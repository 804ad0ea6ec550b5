import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .enums import Besoin, MoyenContact, Qualite, Situation

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "input_formats": ["%Y-%m-%d", "%d/%m/%Y"]}


class CommuneForm(forms.Form):
    commune = forms.CharField(label="Votre commune", max_length=120, help_text="Nom ou code postal, par exemple : Le Puy-en-Velay")
    code_insee = forms.CharField(required=False, widget=forms.HiddenInput)


class VousForm(forms.Form):
    qualite = forms.ChoiceField(label="Vous êtes", choices=Qualite.choices, widget=forms.RadioSelect)
    allocataire = forms.TypedChoiceField(
        label="Êtes-vous allocataire de la CAF ?", choices=[("1", "Oui"), ("0", "Non")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    numero_allocataire = forms.RegexField(
        label="Numéro d'allocataire (facultatif)", regex=r"^\d{4,10}$", required=False,
        error_messages={"invalid": "Le numéro d'allocataire compte de 4 à 10 chiffres."},
    )
    situation = forms.ChoiceField(label="Votre situation", choices=Situation.choices, widget=forms.RadioSelect,
                                  help_text="Une personne en recherche d'emploi ou en formation a parfois une place réservée.")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; a 29 February gives the 28th (`replace` raises on it)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class EnfantForm(forms.Form):
    date_naissance = forms.DateField(label="Date de naissance", required=False, **DATE)
    date_prevue = forms.DateField(label="Ou date de naissance prévue", required=False, **DATE)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        naissance, prevue = data.get("date_naissance"), data.get("date_prevue")
        if naissance and prevue:
            raise ValidationError("Indiquez la date de naissance ou la date prévue, pas les deux.")
        if naissance and naissance > today:
            self.add_error("date_naissance", "La date de naissance est passée : pour une naissance à venir, utilisez la date prévue.")
        if naissance and naissance < _years_before(today, 6):
            self.add_error("date_naissance", "Le service concerne les enfants de moins de 6 ans.")
        if prevue and not today <= prevue <= today + datetime.timedelta(days=300):
            self.add_error("date_prevue", "La date prévue est dans les 10 prochains mois.")
        return data


class BaseEnfantsFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("date_naissance") or f.cleaned_data.get("date_prevue") for f in self.forms):
            raise ValidationError("Indiquez au moins un enfant (ou la naissance attendue).")


EnfantsFormSet = forms.formset_factory(EnfantForm, formset=BaseEnfantsFormSet, extra=2, max_num=6)


class BesoinForm(forms.Form):
    besoin = forms.ChoiceField(label="Vous cherchez", choices=Besoin.choices, widget=forms.RadioSelect)
    a_partir_du = forms.DateField(label="À partir du", **DATE)
    jours_horaires = forms.CharField(label="Jours et horaires (facultatif)", max_length=300, required=False,
                                     help_text="Par exemple : lundi au jeudi, 8 h – 18 h")
    horaires_atypiques = forms.BooleanField(label="Horaires atypiques (tôt, tard, nuit, week-end)", required=False)
    handicap = forms.BooleanField(label="Mon enfant est en situation de handicap", required=False)

    def clean_a_partir_du(self):
        date = self.cleaned_data["a_partir_du"]
        if date < timezone.localdate():
            raise ValidationError("Choisissez une date à venir.")
        return date


class ContactForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Adresse électronique")
    telephone = forms.RegexField(label="Téléphone (facultatif)", regex=r"^\+?[\d .]{10,20}$", required=False,
                                 error_messages={"invalid": "Saisissez un numéro de téléphone, par exemple 06 12 34 56 78."})
    moyen_prefere = forms.ChoiceField(label="Comment préférez-vous être contacté ?", choices=MoyenContact.choices,
                                      widget=forms.RadioSelect)
    moment_prefere = forms.CharField(label="À quel moment ? (facultatif)", max_length=100, required=False)
    # Honeypot: hidden from people, filled by robots.
    site_web = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean(self):
        data = super().clean()
        if data.get("moyen_prefere") == MoyenContact.TELEPHONE and not data.get("telephone"):
            self.add_error("telephone", "Indiquez un numéro pour être rappelé.")
        return data


class MessageForm(forms.Form):
    message = forms.CharField(label="Votre message (facultatif)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 5}))


class ConsentementForm(forms.Form):
    consentement = forms.BooleanField(
        label="J'accepte que ces informations soient transmises au lieu d'information de ma commune pour répondre à ma demande.",
        error_messages={"required": "Votre accord est nécessaire pour transmettre la demande."},
    )

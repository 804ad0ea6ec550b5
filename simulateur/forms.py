from decimal import Decimal

from django import forms
from django.utils import timezone

from .calculs import (
    MAX_ENFANTS,
    MAX_HEURES_SEMAINE,
    MAX_INDEMNITE_ENTRETIEN,
    MAX_PRIX_REPAS,
    MAX_REPAS_PAR_JOUR,
    MAX_SALAIRE_HORAIRE,
    Besoin,
    FraisAssmat,
    SimulationError,
    euros,
)
from .enums import Dispositif, Parametre, TypeAccueil
from .models import Bareme


def _or(value, default):
    return default if value is None else value


class SimulationForm(forms.Form):
    date = forms.DateField(
        label="Date de l'accueil", help_text="Le barème en vigueur à cette date s'applique. Format : jj/mm/aaaa.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    ressources_annuelles = forms.DecimalField(
        label="Ressources annuelles du foyer (facultatif)", required=False, min_value=0, max_digits=10,
        decimal_places=2,
        help_text="Revenus de l'avant-dernière année (N-2), avant abattements : nous les divisons par 12.",
    )
    ressources_mensuelles = forms.DecimalField(
        label="Ressources mensuelles du foyer", required=False, min_value=0, max_digits=9, decimal_places=2,
        help_text="Ou directement le montant mensuel, en euros.",
    )
    enfants_a_charge = forms.IntegerField(
        label="Nombre d'enfants à charge", min_value=1, max_value=MAX_ENFANTS, initial=1,
        help_text="Tous les enfants à charge du foyer, y compris celui à faire garder.",
    )
    enfants_aeeh = forms.IntegerField(
        label="Dont enfants bénéficiaires de l'AEEH", min_value=0, max_value=MAX_ENFANTS, initial=0,
        help_text="Allocation d'éducation de l'enfant handicapé, même si ce n'est pas l'enfant gardé.",
    )
    type_accueil = forms.ChoiceField(
        label="Type de crèche", choices=TypeAccueil.choices, initial=TypeAccueil.COLLECTIF, widget=forms.RadioSelect
    )
    heures_par_semaine = forms.DecimalField(
        label="Heures d'accueil par semaine", min_value=Decimal("0.5"), max_value=MAX_HEURES_SEMAINE,
        decimal_places=2, initial=40,
    )
    semaines_par_an = forms.DecimalField(
        label="Semaines d'accueil par an", min_value=1, max_value=52, decimal_places=1, initial=47,
        help_text="52 moins les semaines de congés et de fermeture.",
    )
    mois_factures = forms.IntegerField(
        label="Nombre de mois facturés", min_value=1, max_value=12, initial=12,
        help_text="La participation est lissée sur ces mois (mensualisation).",
    )
    jours_par_semaine = forms.IntegerField(
        label="Jours d'accueil par semaine", min_value=1, max_value=7, initial=5, required=False,
        help_text="Pour les indemnités et les repas d'un assistant maternel, comptés par jour (5 si vide).",
    )
    salaire_horaire_assmat = forms.DecimalField(
        label="Salaire horaire net d'un assistant maternel (pour comparer)", required=False, min_value=Decimal("0.01"),
        max_value=MAX_SALAIRE_HORAIRE, decimal_places=2, initial=Decimal("4.85"),
        help_text="Le tarif que vous convenez avec lui ou elle, en euros net de l'heure.",
    )
    indemnite_entretien_assmat = forms.DecimalField(
        label="Indemnité d'entretien (€ par jour)", required=False, min_value=0, max_value=MAX_INDEMNITE_ENTRETIEN,
        decimal_places=2,
    )
    prix_repas_assmat = forms.DecimalField(
        label="Prix d'un repas (€)", required=False, min_value=0, max_value=MAX_PRIX_REPAS, decimal_places=2,
    )
    repas_par_jour_assmat = forms.IntegerField(
        label="Repas fournis par jour", min_value=0, max_value=MAX_REPAS_PAR_JOUR, initial=1, required=False,
        help_text="0 si vous apportez les repas (1 si vide).",
    )
    residence_alternee = forms.BooleanField(label="L'enfant est en résidence alternée", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = today = timezone.localdate()
        # The usual costs of today's barème, with where they come from; left empty, they apply.
        bareme = Bareme.objects.en_vigueur(today, Dispositif.CMG_ASSMAT).prefetch_related("sources").first()
        for name, value, parametre in (("indemnite_entretien_assmat", "indemnite_entretien_usuelle", Parametre.INDEMNITE_ENTRETIEN),
                                       ("prix_repas_assmat", "repas_usuel", Parametre.REPAS)):
            usual = getattr(bareme, value, None)
            if usual is None:
                continue
            self.fields[name].initial = usual
            source = bareme.source_de(parametre)
            self.fields[name].help_text = f"Valeur usuelle : {euros(usual)}. " + (source.remarque if source else "")

    def clean(self):
        data = super().clean()
        annuelles, mensuelles = data.get("ressources_annuelles"), data.get("ressources_mensuelles")
        if annuelles is None and mensuelles is None and not self.has_error("ressources_mensuelles"):
            self.add_error(
                "ressources_mensuelles", "Indiquez vos ressources, par mois ou par an (0 si vous n'en avez pas)."
            )
        elif mensuelles is None and annuelles is not None:
            data["ressources_mensuelles"] = (annuelles / 12).quantize(Decimal("0.01"))
        if self.errors:
            return data
        try:
            data["besoin"] = Besoin(
                date=data["date"], ressources_mensuelles=data["ressources_mensuelles"],
                enfants_a_charge=data["enfants_a_charge"], enfants_aeeh=data["enfants_aeeh"],
                heures_par_semaine=data["heures_par_semaine"], semaines_par_an=data["semaines_par_an"],
                mois_factures=data["mois_factures"], jours_par_semaine=_or(data.get("jours_par_semaine"), 5),
            )
            if data.get("salaire_horaire_assmat"):
                data["frais_assmat"] = FraisAssmat(
                    salaire_horaire=data["salaire_horaire_assmat"], indemnite_entretien=data.get("indemnite_entretien_assmat"),
                    prix_repas=data.get("prix_repas_assmat"), repas_par_jour=_or(data.get("repas_par_jour_assmat"), 1),
                )
        except SimulationError as error:
            self.add_error(error.champ if error.champ in self.fields else None, str(error))
        return data


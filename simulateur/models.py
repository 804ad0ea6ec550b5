"""The barèmes are data: a CNAF administrator adds next year's period in /administration/."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .enums import PARAMETRES_CMG, Dispositif, Parametre, Tableau
from .formats import euros, pourcent

MSG_FIN = "La fin de la période doit être après son début."


class BaremeQuerySet(models.QuerySet):
    def en_vigueur(self, date: datetime.date, dispositif: str = Dispositif.PSU):
        return self.filter(dispositif=dispositif, debut__lte=date).filter(Q(fin__isnull=True) | Q(fin__gte=date))


class Bareme(models.Model):
    """One period of a barème: resources bounds, and its taux d'effort (TauxEffort rows)."""

    dispositif = models.CharField("dispositif", max_length=12, choices=Dispositif.choices, default=Dispositif.PSU)
    debut = models.DateField("début de la période")
    fin = models.DateField("fin de la période", null=True, blank=True, help_text="Vide : jusqu'à nouvel ordre.")
    plancher = models.DecimalField("plancher de ressources (€/mois)", max_digits=9, decimal_places=2)
    plafond = models.DecimalField("plafond de ressources (€/mois)", max_digits=9, decimal_places=2)
    plancher_estime = models.BooleanField(
        "plancher non publié (déduit ou de mémoire)", default=False,
    )
    plafond_estime = models.BooleanField("plafond non publié (déduit ou de mémoire)", default=False)
    # CMG only: the reference hourly cost of the formula and the cap of the hourly cost.
    cout_horaire_reference = models.DecimalField(
        "coût horaire de référence (€)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    plafond_horaire = models.DecimalField(
        "plafond du coût horaire (€)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    # CMG only: what an assistant maternel usually costs besides the salary, offered in the form.
    indemnite_entretien_usuelle = models.DecimalField(
        "indemnité d'entretien usuelle (€ par jour)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    repas_usuel = models.DecimalField("prix usuel d'un repas (€)", max_digits=6, decimal_places=2, null=True, blank=True)
    source = models.TextField("source", help_text="Circulaire, décret ou arrêté d'où viennent les valeurs.")

    objects = BaremeQuerySet.as_manager()

    class Meta:
        ordering = ["dispositif", "debut"]
        verbose_name = "barème"
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=models.F("debut")),
                name="bareme_fin_apres_debut", violation_error_message=MSG_FIN,
            ),
            models.UniqueConstraint(fields=["dispositif", "debut"], name="bareme_debut_unique"),
        ]

    def __str__(self):
        fin = f"au {self.fin:%d/%m/%Y}" if self.fin else "sans date de fin"
        return f"Barème {self.get_dispositif_display()} du {self.debut:%d/%m/%Y} {fin}"

    def clean(self):
        if self.plancher is not None and self.plafond is not None and self.plancher >= self.plafond:
            raise ValidationError({"plafond": "Le plafond doit être supérieur au plancher."})
        if self.debut and (self.fin is None or self.fin >= self.debut):
            overlapping = Bareme.objects.filter(dispositif=self.dispositif).exclude(pk=self.pk).filter(
                Q(fin__isnull=True) | Q(fin__gte=self.debut)
            )
            if self.fin:
                overlapping = overlapping.filter(debut__lte=self.fin)
            if overlapping.exists():
                raise ValidationError(f"Cette période chevauche : {overlapping.first()}.")

    def source_de(self, parametre: str) -> "SourceParametre | None":
        return next((s for s in self.sources.all() if s.parametre == parametre), None)

    def valeurs_a_confirmer(self, taux: "TauxEffort | None" = None) -> list["ValeurAConfirmer"]:
        """The CMG values of this period that no official text we read gives: the page names each one
        and says where it comes from. The taux d'effort counts for the band that applies."""
        valeurs = {
            Parametre.PLANCHER: self.plancher, Parametre.PLAFOND: self.plafond,
            Parametre.COUT_HORAIRE_REFERENCE: self.cout_horaire_reference,
            Parametre.PLAFOND_HORAIRE: self.plafond_horaire, Parametre.TAUX_EFFORT: taux.taux if taux else None,
        }
        found = []
        for parametre in PARAMETRES_CMG:
            source = self.source_de(parametre)
            band_flagged = parametre == Parametre.TAUX_EFFORT and taux is not None and taux.estime
            if source is None:
                found.append(ValeurAConfirmer(parametre, valeurs[parametre], "Aucune source n'est enregistrée."))
            elif not source.officiel or band_flagged:
                found.append(ValeurAConfirmer(parametre, valeurs[parametre], source.remarque or source.texte))
        return found

    def taux_pour(self, tableau: str, enfants: int) -> "TauxEffort":
        """The band for this number of children: the highest one that does not exceed it."""
        bands = sorted(
            (t for t in self.taux.all() if t.tableau == tableau), key=lambda t: t.enfants_min, reverse=True
        )
        for band in bands:
            if enfants >= band.enfants_min:
                return band
        raise LookupError(f"Aucun taux d'effort {tableau} pour {enfants} enfant(s) dans {self}.")


@dataclass
class ValeurAConfirmer:
    parametre: str
    valeur: Decimal | None
    raison: str

    @property
    def libelle(self) -> str:
        return Parametre(self.parametre).label

    @property
    def valeur_texte(self) -> str:
        if self.valeur is None:
            return ""
        return pourcent(self.valeur) if self.parametre == Parametre.TAUX_EFFORT else euros(self.valeur)


class TauxEffort(models.Model):
    bareme = models.ForeignKey(Bareme, on_delete=models.CASCADE, related_name="taux")
    tableau = models.CharField("tableau", max_length=10, choices=Tableau.choices)
    enfants_min = models.PositiveSmallIntegerField(
        "à partir de (enfants à charge)", help_text="La tranche vaut jusqu'à la suivante."
    )
    taux = models.DecimalField("taux d'effort horaire (%)", max_digits=7, decimal_places=5)
    estime = models.BooleanField("non publié (de mémoire)", default=False)

    class Meta:
        ordering = ["bareme", "tableau", "enfants_min"]
        verbose_name = "taux d'effort"
        verbose_name_plural = "taux d'effort"
        constraints = [
            models.UniqueConstraint(fields=["bareme", "tableau", "enfants_min"], name="taux_tranche_unique"),
            models.CheckConstraint(
                condition=Q(taux__gt=0) & Q(taux__lt=1), name="taux_plausible",
                violation_error_message="Un taux d'effort horaire est compris entre 0 et 1 %.",
            ),
        ]

    def __str__(self):
        return f"{self.get_tableau_display()}, {self.enfants_min} enfant(s) et plus : {self.taux} %"


class SourceParametre(models.Model):
    """Where one value of a barème comes from: the publication (title, date, address) and, for a
    value no official text gives, why it is used anyway. The simulator shows it to families."""

    bareme = models.ForeignKey(Bareme, on_delete=models.CASCADE, related_name="sources", verbose_name="barème")
    parametre = models.CharField("valeur", max_length=30, choices=Parametre.choices)
    texte = models.TextField("publication", help_text="Titre du décret, de l'arrêté, de la circulaire ou de la page.")
    publie_le = models.DateField("publiée le", null=True, blank=True, help_text="Vide si la publication n'est pas datée.")
    adresse = models.URLField("adresse", blank=True)
    officiel = models.BooleanField(
        "texte officiel", default=True,
        help_text="Journal officiel, Légifrance, circulaire Cnaf, caf.fr, urssaf.fr ou service-public.fr. "
                  "Décochez pour une valeur déduite ou reprise d'une autre source.",
    )
    remarque = models.TextField("remarque", blank=True, help_text="Pour une valeur non officielle : d'où elle vient.")

    class Meta:
        ordering = ["bareme", "parametre"]
        verbose_name = "source d'une valeur"
        verbose_name_plural = "sources des valeurs"
        constraints = [models.UniqueConstraint(fields=["bareme", "parametre"], name="source_parametre_unique")]

    def __str__(self):
        return f"{self.get_parametre_display()} : {self.texte[:60]}"

    def clean(self):
        if not self.officiel and not self.remarque.strip():
            raise ValidationError({"remarque": "Dites d'où vient une valeur qu'aucun texte officiel ne donne."})

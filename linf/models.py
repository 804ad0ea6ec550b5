from django.db import models
from simple_history.models import HistoricalRecords

from structures.models import Departement


class ContratQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(actif=True, signe_le__isnull=False)


class ContratCafCnaf(models.Model):
    """The CAF–CNAF contract of a département: the online LINF service runs only where it is active."""

    departement = models.OneToOneField(Departement, on_delete=models.PROTECT, related_name="contrat_caf_cnaf")
    signe_le = models.DateField("signé le", null=True, blank=True)
    actif = models.BooleanField("actif", default=False)
    commentaire = models.TextField("commentaire", blank=True)

    objects = ContratQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["departement"]
        verbose_name = "contrat CAF–CNAF"
        verbose_name_plural = "contrats CAF–CNAF"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actif=False) | models.Q(signe_le__isnull=False),
                name="contrat_actif_signe",
                violation_error_message="Un contrat actif a une date de signature.",
            )
        ]

    def __str__(self):
        etat = "actif" if self.actif else "inactif"
        return f"Contrat CAF–CNAF {self.departement} ({etat})"

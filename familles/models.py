import secrets

from django.db import models
from django.utils import timezone

from structures.models import Commune, Structure


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(32)


class Alerte(models.Model):
    """A family's need saved with an email address: one email when a place that fits opens near it. Active once the
    address is confirmed (double opt-in); destroyed on request, or six months after it was made."""

    email = models.EmailField("courriel")
    # The need as its parameters (structures.besoin.Besoin.en_parametres), without resources: an alert needs none.
    besoin = models.JSONField("besoin")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    rayon_km = models.FloatField("rayon (km)")
    rubriques = models.CharField("rubriques", max_length=100, blank=True)
    # The link of the confirmation and of every alert (confirm, stop): whoever holds it manages this alert only.
    jeton = models.CharField(max_length=64, unique=True, default=nouveau_jeton, editable=False)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    confirmee_le = models.DateTimeField("confirmée le", null=True, blank=True)
    derniere_alerte_le = models.DateTimeField("dernière alerte le", null=True, blank=True)

    class Meta:
        verbose_name = "alerte de place"
        verbose_name_plural = "alertes de places"
        indexes = [models.Index(fields=["confirmee_le"], name="alerte_confirmee")]

    def __str__(self):
        return f"Alerte {self.pk}"


class PlaceSignalee(models.Model):
    """A fiche an alert told its family about: never twice for the same place."""

    alerte = models.ForeignKey(Alerte, on_delete=models.CASCADE, related_name="places_signalees")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    signalee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "place signalée"
        verbose_name_plural = "places signalées"
        constraints = [models.UniqueConstraint(fields=["alerte", "structure"], name="place_signalee_une_fois")]

    def __str__(self):
        return f"Place {self.structure_id} signalée à l'alerte {self.alerte_id}"

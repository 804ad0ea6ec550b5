from django.db import models


class EvenementUsage(models.TextChoices):
    """What the families' alerts count (compteurs): no person in them. Codes are stored: never change them."""

    ALERTE_CREEE = "alerte_creee", "Alerte de place confirmée"
    ALERTE_ENVOYEE = "alerte_envoyee", "Alerte de place envoyée"

from django.db import models


class Dispositif(models.TextChoices):
    PSU = "psu", "Prestation de service unique (crèches)"
    CMG_ASSMAT = "cmg_assmat", "Complément de libre choix du mode de garde (assistant maternel)"


class Tableau(models.TextChoices):
    """Which column of taux d'effort applies."""

    COLLECTIF = "collectif", "Accueil collectif"
    FAMILIAL = "familial", "Accueil familial et parental"
    CMG = "cmg", "CMG assistant maternel"


class TypeAccueil(models.TextChoices):
    COLLECTIF = "collectif", "Crèche collective"
    FAMILIAL = "familial", "Crèche familiale"
    PARENTAL = "parental", "Crèche parentale"
    MICRO_CRECHE = "micro_creche", "Micro-crèche financée par la PSU"

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


class Parametre(models.TextChoices):
    """The values of a CMG barème that a publication must give, and the usual costs the form offers."""

    PLANCHER = "plancher", "Plancher de ressources"
    PLAFOND = "plafond", "Plafond de ressources"
    COUT_HORAIRE_REFERENCE = "cout_horaire_reference", "Coût horaire de référence"
    PLAFOND_HORAIRE = "plafond_horaire", "Plafond du coût horaire"
    TAUX_EFFORT = "taux_effort", "Taux d'effort"
    INDEMNITE_ENTRETIEN = "indemnite_entretien", "Indemnité d'entretien usuelle"
    REPAS = "repas", "Prix usuel d'un repas"


# What the CMG formula needs; the usual costs are only suggestions the family changes.
PARAMETRES_CMG = [Parametre.PLANCHER, Parametre.PLAFOND, Parametre.COUT_HORAIRE_REFERENCE, Parametre.PLAFOND_HORAIRE,
                  Parametre.TAUX_EFFORT]


class EvenementUsage(models.TextChoices):
    """What the usage counters count of the simulator (the wiring counts it, monenfant/apps.py). Codes are
    stored: never change them."""

    SIMULATION = "simulation", "Simulation du coût"

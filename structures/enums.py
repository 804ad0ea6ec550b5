from django.db import models


class Rubrique(models.TextChoices):
    """Codes are stable (URLs, JSON, partners); labels may change."""

    EAJE = "EAJE", "Crèche et autre accueil collectif (EAJE)"
    RPE = "RPE", "Relais petite enfance"
    LAEP = "LAEP", "Lieu d'accueil enfants-parents"
    ALSH = "ALSH", "Accueil de loisirs"
    ASSMAT = "ASSMAT", "Assistant maternel"
    LINF = "LINF", "Lieu d'information"


# Old names still typed by people and partners.
RUBRIQUE_ALIASES = {"RAM": Rubrique.RPE}


class TypeAccueil(models.TextChoices):
    COLLECTIF = "collectif", "Crèche collective"
    FAMILIAL = "familial", "Crèche familiale"
    PARENTAL = "parental", "Crèche parentale"
    MICRO_CRECHE = "micro_creche", "Micro-crèche"


class Jour(models.IntegerChoices):
    LUNDI = 1, "Lundi"
    MARDI = 2, "Mardi"
    MERCREDI = 3, "Mercredi"
    JEUDI = 4, "Jeudi"
    VENDREDI = 5, "Vendredi"
    SAMEDI = 6, "Samedi"
    DIMANCHE = 7, "Dimanche"


class EvenementUsage(models.TextChoices):
    """What structures' pages count (structures.usage, through compteurs). Codes are stored: never change them."""

    RECHERCHE = "recherche", "Recherche de solutions d'accueil"
    FICHE_VUE = "fiche_vue", "Fiche consultée"

from django.db import models


class Rubrique(models.TextChoices):
    """Codes are stable (URLs, JSON, partners); labels may change."""

    EAJE = "EAJE", "Crèche et autre accueil collectif (EAJE)"
    RPE = "RPE", "Relais petite enfance"
    LAEP = "LAEP", "Lieu d'accueil enfants-parents"
    ALSH = "ALSH", "Accueil de loisirs"
    ASSMAT = "ASSMAT", "Assistant maternel"
    LINF = "LINF", "Lieu d'information"
    # A place where several assistants maternels work: an establishment, public without anyone's consent.
    MAM = "MAM", "Maison d'assistants maternels"


# Old names still typed by people and partners.
RUBRIQUE_ALIASES = {"RAM": Rubrique.RPE}


class TypeAccueil(models.TextChoices):
    COLLECTIF = "collectif", "Crèche collective"
    FAMILIAL = "familial", "Crèche familiale"
    PARENTAL = "parental", "Crèche parentale"
    MICRO_CRECHE = "micro_creche", "Micro-crèche"
    MULTI_ACCUEIL = "multi_accueil", "Multi-accueil"
    HALTE_GARDERIE = "halte_garderie", "Halte-garderie"
    JARDIN_ENFANTS = "jardin_enfants", "Jardin d'enfants"
    PERSONNEL = "personnel", "Crèche de personnel"


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


class ResultatLigne(models.TextChoices):
    """What became of one row of an imported file. Codes are stored and written in reports."""

    CREEE = "creee", "Créée"
    MISE_A_JOUR = "mise_a_jour", "Mise à jour"
    INCHANGEE = "inchangee", "Inchangée"
    FUSIONNEE = "fusionnee", "Fusionnée"
    REJETEE = "rejetee", "Rejetée"


class StatutImport(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    SIMULATION = "simulation", "Simulation en cours"
    SIMULEE = "simulee", "Simulée, à confirmer"
    EN_COURS = "en_cours", "Import en cours"
    TERMINEE = "terminee", "Terminé"
    ECHEC = "echec", "Échec"
    ANNULEE = "annulee", "Annulé"


class EtapeImport(models.TextChoices):
    LECTURE = "lecture", "Lecture des lignes"
    GEOCODAGE = "geocodage", "Géocodage des adresses"
    ECRITURE = "ecriture", "Enregistrement des fiches"

from django.db import models


class StatutDemande(models.TextChoices):
    NOUVELLE = "nouvelle", "nouvelle"
    TRAITEE = "traitee", "traitée"


class Qualite(models.TextChoices):
    PARENT = "parent", "Parent"
    FUTUR_PARENT = "futur_parent", "Futur parent"


class Besoin(models.TextChoices):
    CRECHE = "creche", "Une crèche"
    ASSMAT = "assmat", "Un assistant maternel"
    GARDE_DOMICILE = "garde_domicile", "Une garde à domicile"
    INDECIS = "indecis", "Je ne sais pas encore"


class Situation(models.TextChoices):
    EMPLOI = "emploi", "En emploi"
    RECHERCHE = "recherche", "En recherche d'emploi"
    FORMATION = "formation", "En formation"
    AUTRE = "autre", "Autre"


class MoyenContact(models.TextChoices):
    EMAIL = "email", "Par courriel"
    TELEPHONE = "telephone", "Par téléphone"


class ActionAcces(models.TextChoices):
    LECTURE = "lecture", "lecture"
    EXPORT_PDF = "export_pdf", "export PDF"
    EXPORT_XML = "export_xml", "export XML"


class TrancheAge(models.TextChoices):
    """The child's age band in the anonymous counts (StatistiqueDemande.tranche_age), first child."""

    A_NAITRE = "a_naitre", "À naître"
    MOINS_1_AN = "0-1", "Moins d'1 an"
    UN_3_ANS = "1-3", "1 à 3 ans"
    TROIS_6_ANS = "3-6", "3 à 6 ans"


class EvenementUsage(models.TextChoices):
    """What the usage counters count of the families' form (compteurs). Codes are stored: never change them."""

    DEMANDE_COMMENCEE = "demande_commencee", "Demande d'information commencée"
    DEMANDE_ENVOYEE = "demande_envoyee", "Demande d'information envoyée"

from django.db import models


class Role(models.TextChoices):
    """Codes are stable; a person may hold several roles (one Affectation each)."""

    CNAF_ADMIN = "cnaf_admin", "Administrateur CNAF"
    CAF_ADMIN = "caf_admin", "Administrateur CAF"
    CAF_AGENT = "caf_agent", "Agent CAF"
    GESTIONNAIRE = "gestionnaire", "Gestionnaire de structure"
    ASSMAT = "assmat", "Assistant maternel"
    LINF = "linf", "Personne habilitée d'un lieu d'information"


ROLES_CAF = {Role.CAF_ADMIN, Role.CAF_AGENT}
# Who works in /administration/ (and only they are Django staff): the CNAF and the CAF.
ROLES_BACK_OFFICE = {Role.CNAF_ADMIN, *ROLES_CAF}
ROLES_STRUCTURE = {Role.GESTIONNAIRE, Role.ASSMAT, Role.LINF}
ROLES_SECOND_FACTOR = {Role.CNAF_ADMIN, Role.CAF_ADMIN, Role.CAF_AGENT, Role.LINF}
# Who may act on whom in the back office: only on a lower rank (User.may_act_on).
RANGS = {
    Role.GESTIONNAIRE: 1, Role.ASSMAT: 1, Role.LINF: 1,
    Role.CAF_AGENT: 2, Role.CAF_ADMIN: 3, Role.CNAF_ADMIN: 4,
}


class StatutHabilitation(models.TextChoices):
    NON_TRAITEE = "non_traitee", "non traitée"
    CONVENTION_ENVOYEE = "convention_envoyee", "convention envoyée"
    VALIDEE = "validee", "validée"
    REFUSEE = "refusee", "refusée"
    # A validated convention ended by notice or by the end of the CAF–CNAF contract.
    TERMINEE = "terminee", "convention terminée"


class StatutAvenant(models.TextChoices):
    """An avenant takes effect when the signed copy comes back (the convention's article on changes)."""

    ENVOYE = "envoye", "envoyé, en attente du retour signé"
    SIGNE = "signe", "signé reçu"
    ANNULE = "annule", "annulé"


class PartiePreavis(models.TextChoices):
    CAF = "caf", "la CAF"
    ORGANISME = "organisme", "l'organisme"


class TypeDocument(models.TextChoices):
    CONVENTION = "convention", "Convention d'engagement de service et d'habilitation informatique"
    AVENANT = "avenant", "Avenant à la convention"


class TypeModele(models.TextChoices):
    """The documents whose text is a template the CNAF edits in the back office (habilitations.modeles)."""

    CONVENTION = "convention", "convention"
    AVENANT = "avenant", "avenant"
    CONTRAT = "contrat", "contrat CAF–CNAF"

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
ROLES_STRUCTURE = {Role.GESTIONNAIRE, Role.ASSMAT, Role.LINF}

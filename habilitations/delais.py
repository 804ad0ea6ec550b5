"""The delay a LINF has to retrieve a demande: chosen in the habilitation request, set by the CAF
between 5 and 15 days (the LINF guide), carried by the guichet. One rule for the form, the models,
the guichet's constraint and the reminders."""

from django.core.validators import MaxValueValidator, MinValueValidator

DELAI_MIN, DELAI_MAX = 5, 15
DELAI_PAR_DEFAUT = 10


def validateurs_delai() -> list:
    return [MinValueValidator(DELAI_MIN, f"Le délai est d'au moins {DELAI_MIN} jours."),
            MaxValueValidator(DELAI_MAX, f"Le délai est d'au plus {DELAI_MAX} jours.")]

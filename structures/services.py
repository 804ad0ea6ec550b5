"""Writes on the directory that carry a rule of their own."""

from django.db import transaction
from django.utils import timezone

from .enums import Rubrique
from .models import CONSENTEMENT_VERSION, Structure


@transaction.atomic
def set_consent(*, structure: Structure, consent: bool) -> Structure:
    """An assistant maternel's fiche goes public with their consent (date and text version kept) and
    leaves search, the API and its page at once when they withdraw it; the history keeps both."""
    if structure.rubrique != Rubrique.ASSMAT:
        raise ValueError("Seule la fiche d'un assistant maternel dépend de son consentement.")
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if consent:
        structure.consentement_publication_le = timezone.now()
        structure.consentement_publication_version = CONSENTEMENT_VERSION
    else:
        structure.consentement_publication_le = None
        structure.consentement_publication_version = ""
    structure.save(update_fields=["consentement_publication_le", "consentement_publication_version", "modifie_le"])
    return structure

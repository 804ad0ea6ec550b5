"""Writes on the directory that carry a rule of their own."""

from django.db import transaction
from django.utils import timezone

from .enums import Rubrique
from .models import CONSENTEMENT_VERSION, CreneauTravaille, Structure


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


class HorsDeLaMam(ValueError):
    """The assistant maternel does not declare this MAM."""


@transaction.atomic
def confirmer_assistant_mam(*, mam: Structure, assistant: Structure, par, confirme: bool = True) -> Structure:
    """The MAM's manager or the CAF confirms that the assistant works there (listed on the MAM's fiche), or
    declines (the assistant's declaration is removed)."""
    assistant = Structure.objects.select_for_update().get(pk=assistant.pk)
    if assistant.rubrique != Rubrique.ASSMAT or assistant.mam_id != mam.pk:
        raise HorsDeLaMam(f"{assistant.nom} ne déclare pas travailler à {mam.nom}.")
    if confirme:
        assistant.mam_confirmee_le = timezone.now()
    else:
        assistant.mam, assistant.mam_confirmee_le = None, None
    assistant._change_reason = f"MAM {'confirmée' if confirme else 'refusée'} par {par}"
    assistant.save(update_fields=["mam", "mam_confirmee_le", "modifie_le"])
    return assistant


@transaction.atomic
def declarer_jours_de_travail(*, structure: Structure, creneaux) -> bool:
    """An assistant maternel's working half-days, (day, half-day) pairs as they declare them in /pro/, with the
    half-days where they have a place (worked too, whether ticked or not). Their fiche shows these days, and the
    search's "Ouvert le samedi" reads them. Call it after the places are saved. True when they changed."""
    if structure.rubrique != Rubrique.ASSMAT:
        raise ValueError("Seul un assistant maternel déclare ses demi-journées de travail.")
    nouveaux = {(int(jour), demi) for jour, demi in creneaux}
    nouveaux |= set(structure.creneaux_disponibles.values_list("jour", "demi_journee"))
    if nouveaux == set(structure.creneaux_travailles.values_list("jour", "demi_journee")):
        return False
    structure.creneaux_travailles.all().delete()
    CreneauTravaille.objects.bulk_create(
        [CreneauTravaille(structure=structure, jour=jour, demi_journee=demi) for jour, demi in sorted(nouveaux)])
    return True

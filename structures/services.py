"""Writes on the directory that carry a rule of their own."""

from django.db import transaction
from django.utils import timezone

from . import besoin
from .enums import Rubrique
from .models import CONSENTEMENT_VERSION, CreneauDisponible, CreneauTravaille, DemiJournee, Horaire, Structure


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


def semaine_condensee(horaires, creneaux) -> tuple[int, int, int]:
    """(ouvertures, fermetures, demi-journées) of besoin's condensed week: each day's longest opening slot as
    quarters of an hour (the opening rounded up, the closing down: never more than it is), and the mask of the
    half-days with a place."""
    plus_longs: dict[int, tuple] = {}
    for jour, ouverture, fermeture in horaires:
        duree = besoin.duree(ouverture, fermeture)
        if jour not in plus_longs or duree > plus_longs[jour][0]:
            plus_longs[jour] = (duree, ouverture, fermeture)
    ouvertures = fermetures = 0
    for jour in range(1, 8):
        decalage = besoin.BITS_PAR_JOUR * (jour - 1)
        if jour in plus_longs:
            _, ouverture, fermeture = plus_longs[jour]
            ouvertures |= besoin.quart(ouverture, vers_le_haut=True) << decalage
            fermetures |= besoin.quart(fermeture) << decalage
        else:
            ouvertures |= besoin.FERME << decalage
    demi = 0
    for jour, demi_journee in creneaux:
        demi |= besoin.bit_demi_journee(jour, demi_journee == DemiJournee.APRES_MIDI)
    return ouvertures, fermetures, demi


def condenser_semaines(structure_ids) -> None:
    """Keep each fiche's condensed week (besoin) in step with its opening hours and its half-days with a place:
    after any write of those rows (the signals call it for one row; bulk writers call it themselves)."""
    ids = list(structure_ids)
    for debut in range(0, len(ids), 500):
        lot = ids[debut:debut + 500]
        horaires: dict[int, list] = {pk: [] for pk in lot}
        creneaux: dict[int, list] = {pk: [] for pk in lot}
        for pk, jour, ouverture, fermeture in Horaire.objects.filter(structure__in=lot).values_list(
                "structure", "jour", "ouverture", "fermeture"):
            horaires[pk].append((jour, ouverture, fermeture))
        for pk, jour, demi_journee in CreneauDisponible.objects.filter(structure__in=lot).values_list(
                "structure", "jour", "demi_journee"):
            creneaux[pk].append((jour, demi_journee))
        for pk in lot:
            ouvertures, fermetures, demi = semaine_condensee(horaires[pk], creneaux[pk])
            Structure.objects.filter(pk=pk).exclude(
                ouvertures_condensees=ouvertures, fermetures_condensees=fermetures, demi_journees_disponibles=demi,
            ).update(ouvertures_condensees=ouvertures, fermetures_condensees=fermetures,
                     demi_journees_disponibles=demi)

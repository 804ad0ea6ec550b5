"""The convention's life: it takes effect on signature, lasts a year and renews tacitly; either party
ends it with three months' notice before an anniversary. Closing the guichet on the end date is linf's
part (linf.conventions), since a guichet belongs to linf.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.services import notify

from .enums import PartiePreavis, StatutHabilitation
from .models import User
from .services import withdraw_person
from .workflow import DemandeHabilitation, TransitionHabilitation

DUREE = relativedelta(years=1)
PREAVIS = relativedelta(months=3)
RAPPEL_AVANT = relativedelta(months=1)


class PreavisRefuse(ValueError):
    """Why the notice cannot be recorded, in French, for the agent."""


def anniversaire_suivant(effet: datetime.date, apres: datetime.date) -> datetime.date:
    """The first anniversary of `effet` strictly after `apres` (29 February falls on the 28th)."""
    years = 1
    while effet + relativedelta(years=years) <= apres:
        years += 1
    return effet + relativedelta(years=years)


def fin_apres_preavis(effet: datetime.date, preavis_le: datetime.date) -> datetime.date:
    """The anniversary at least three months after the notice: the day the convention ends."""
    fin = anniversaire_suivant(effet, effet)
    while fin - PREAVIS < preavis_le:
        fin = anniversaire_suivant(effet, fin)
    return fin


def date_rappel(fin: datetime.date) -> datetime.date:
    return fin - RAPPEL_AVANT


def calendrier(demande: DemandeHabilitation, today: datetime.date | None = None) -> dict | None:
    """What the agent reads on a validated convention: next anniversary and the last day to give notice for it."""
    effet = demande.date_effet
    if effet is None:
        return None
    today = today or timezone.localdate()
    prochaine_fin = fin_apres_preavis(effet, today)
    return {"effet": effet, "prochaine_fin": prochaine_fin, "preavis_jusqu_au": prochaine_fin - PREAVIS}


def _context(demande, **extra):
    return {"demande": demande, "site_url": settings.SITE_URL, **extra}


def _log(demande, depuis, *, par, commentaire):
    TransitionHabilitation.objects.create(demande=demande, depuis=depuis, vers=demande.statut, par=par, commentaire=commentaire)


@transaction.atomic
def record_notice(*, demande: DemandeHabilitation, par: User | None, le: datetime.date, partie: str,
                  motif: str = "") -> DemandeHabilitation:
    demande = DemandeHabilitation.objects.select_for_update().get(pk=demande.pk)
    if demande.statut != StatutHabilitation.VALIDEE:
        raise PreavisRefuse("Un préavis met fin à une convention en cours (habilitation validée).")
    if demande.fin_le:
        raise PreavisRefuse(f"Un préavis est déjà enregistré : la convention prend fin le {demande.fin_le:%d/%m/%Y}.")
    if partie not in PartiePreavis.values:
        raise PreavisRefuse("Indiquez qui donne le préavis : la CAF ou l'organisme.")
    if le > timezone.localdate():
        raise PreavisRefuse("La date de réception du préavis ne peut pas être dans le futur.")
    if le < demande.date_effet:
        raise PreavisRefuse(f"La convention a pris effet le {demande.date_effet:%d/%m/%Y} : le préavis ne peut pas la précéder.")
    demande.preavis_le, demande.preavis_par, demande.preavis_motif = le, partie, motif.strip()
    demande.fin_le, demande.rappel_fin_envoye_le = fin_apres_preavis(demande.date_effet, le), None
    demande.save(update_fields=["preavis_le", "preavis_par", "preavis_motif", "fin_le", "rappel_fin_envoye_le"])
    _log(demande, demande.statut, par=par, commentaire=(
        f"Préavis de {demande.get_preavis_par_display()} reçu le {le:%d/%m/%Y} : fin le {demande.fin_le:%d/%m/%Y}."
    ))
    notify(to=[demande.demandeur_email, demande.caf.email_habilitations],
           sujet=f"monenfant : la convention {demande.reference} prendra fin le {demande.fin_le:%d/%m/%Y}",
           template="habilitations/emails/preavis.txt", context=_context(demande), territoire=demande.caf.departement_id)
    return demande


@transaction.atomic
def cancel_notice(*, demande: DemandeHabilitation, par: User) -> DemandeHabilitation:
    demande = DemandeHabilitation.objects.select_for_update().get(pk=demande.pk)
    if demande.statut != StatutHabilitation.VALIDEE or not demande.fin_le:
        raise PreavisRefuse("Aucun préavis en cours sur cette convention.")
    fin = demande.fin_le
    demande.preavis_le, demande.preavis_par, demande.preavis_motif = None, "", ""
    demande.fin_le = demande.rappel_fin_envoye_le = None
    demande.save(update_fields=["preavis_le", "preavis_par", "preavis_motif", "fin_le", "rappel_fin_envoye_le"])
    _log(demande, demande.statut, par=par, commentaire=f"Préavis annulé : la convention ne prend plus fin le {fin:%d/%m/%Y}.")
    notify(to=[demande.demandeur_email, demande.caf.email_habilitations],
           sujet=f"monenfant : la convention {demande.reference} continue",
           template="habilitations/emails/preavis_annule.txt", context=_context(demande, fin=fin), territoire=demande.caf.departement_id)
    return demande


def a_rappeler(today: datetime.date):
    """Conventions ending within a month whose CAF has not been reminded yet."""
    return DemandeHabilitation.objects.filter(
        statut=StatutHabilitation.VALIDEE, fin_le__gt=today, fin_le__lte=today + RAPPEL_AVANT,
        rappel_fin_envoye_le__isnull=True,
    ).select_related("caf")


@transaction.atomic
def remind_end(demande: DemandeHabilitation) -> None:
    notify(to=[demande.caf.email_habilitations],
           sujet=f"monenfant : la convention {demande.reference} prend fin le {demande.fin_le:%d/%m/%Y}",
           template="habilitations/emails/rappel_fin_convention.txt", context=_context(demande), territoire=demande.caf.departement_id)
    DemandeHabilitation.objects.filter(pk=demande.pk).update(rappel_fin_envoye_le=timezone.now())


def a_terminer(today: datetime.date):
    """Conventions whose end date has come; routing skips them even before the daily task closes them."""
    return DemandeHabilitation.objects.filter(statut=StatutHabilitation.VALIDEE, fin_le__lte=today)


def validees_du_departement(departement: str):
    return DemandeHabilitation.objects.filter(statut=StatutHabilitation.VALIDEE, caf__departement=departement)


@transaction.atomic
def end_convention(*, demande: DemandeHabilitation, motif: str) -> DemandeHabilitation:
    """The habilitated persons lose their access and everyone concerned is told; the caller closes the guichet."""
    demande = DemandeHabilitation.objects.select_for_update().get(pk=demande.pk)
    depuis = demande.statut
    demande.terminer(motif=motif)
    if demande.fin_le is None or demande.fin_le > timezone.localdate():
        demande.fin_le = timezone.localdate()
    demande.save()
    personnes = list(demande.personnes.filter(retiree_le__isnull=True))
    for personne in personnes:
        withdraw_person(personne, demande)
    _log(demande, depuis, par=None, commentaire=motif)
    notify(to=[demande.demandeur_email, demande.caf.email_habilitations, *(p.email for p in personnes)],
           sujet=f"monenfant : fin de la convention {demande.reference}",
           template="habilitations/emails/fin_convention.txt", context=_context(demande, personnes=personnes),
           territoire=demande.caf.departement_id)
    return demande

"""Writes of the demande d'information: submission, then its first opening by the LINF, or its withdrawal
by the family."""

import datetime
import secrets
from collections.abc import Sequence
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from habilitations import activite
from linf.selectors import linfs_ouverts, linfs_serving, persons_of
from notifications.services import notify
from structures.models import Commune

from . import purge, selectors, statistiques
from .enums import ActionAcces, Besoin, MoyenContact, Qualite, Situation, StatutDemande
from .models import AccesDemande, Demande, Enfant, TransitionDemande, delai_minimal


class AucunLieuInformation(ValueError):
    """Nobody would receive this demande: the family must be told before filling the form."""


class EnfantSaisi(TypedDict, total=False):
    """One child as the family gives it: born, or expected."""

    date_naissance: datetime.date
    date_prevue: datetime.date


@transaction.atomic
def create_demande_information(
    *, commune: Commune, enfants: Sequence[EnfantSaisi], qualite: Qualite | str, besoin: Besoin | str,
    a_partir_du: datetime.date, prenom: str, nom: str, email: str, allocataire: bool = False,
    numero_allocataire: str = "", situation: Situation | str = "", jours_horaires: str = "",
    horaires_atypiques: bool = False, handicap: bool = False, telephone: str = "",
    moyen_prefere: MoyenContact | str = MoyenContact.EMAIL, moment_prefere: str = "", message: str = "",
) -> Demande:
    """The family's demande d'information, sent to every LINF serving its commune (the family consented)."""
    # Each LINF with its guichet: the family's email gives the shortest delay without a query per LINF.
    linfs = list(linfs_serving(commune).select_related("guichet"))
    if not linfs:
        raise AucunLieuInformation(f"Aucun lieu d'information ne reçoit encore les demandes en ligne pour {commune.nom}.")
    demande = Demande.objects.create(
        commune=commune, consentement_le=timezone.now(), qualite=qualite, besoin=besoin, a_partir_du=a_partir_du,
        prenom=prenom, nom=nom, email=email, allocataire=allocataire, numero_allocataire=numero_allocataire,
        situation=situation, jours_horaires=jours_horaires, horaires_atypiques=horaires_atypiques, handicap=handicap,
        telephone=telephone, moyen_prefere=moyen_prefere, moment_prefere=moment_prefere, message=message,
        jeton_suivi=secrets.token_urlsafe(32),
    )
    # A new demande has no LINF yet: one INSERT, without the read that set() makes to compare.
    Demande.linfs.through.objects.bulk_create([Demande.linfs.through(demande=demande, structure=linf) for linf in linfs])
    enfants = Enfant.objects.bulk_create([Enfant(demande=demande, **e) for e in enfants])
    # The follow-up link is a key: the outbox blanks the body once sent (secret).
    notify(to=[demande.email], sujet=f"monenfant : votre demande {demande.reference} est enregistrée",
           template="demandes/emails/enregistree.txt",
           context={"demande": demande, "linfs": linfs, "delai": delai_minimal(linfs), "lien_suivi": lien_suivi(demande)},
           objet=demande.objet_notifications, territoire=demande.commune.departement_id, secret=True)
    _tell_linf_persons(demande, linfs)
    # Last: the count's row is shared by the demandes of the commune and month, and stays locked until the
    # commit; the children and LINF just written are not read again.
    statistiques.count_sent(demande, enfants=enfants, linfs=linfs)
    return demande


def lien_suivi(demande: Demande) -> str:
    """The family's private follow-up link, absolute (for its email)."""
    return settings.SITE_URL + reverse("demandes:suivi", kwargs={"jeton": demande.jeton_suivi})


@transaction.atomic
def retirer(*, jeton: str) -> Demande | None:
    """The family withdraws its demande (its follow-up link): destroyed at once as the purge destroys it
    (children, logs, LINF links, the emails about it), and each person habilitated on a LINF that received
    it is told, with the reference only. Returns the demande as it was, None when there is none (withdrawn
    already). The anonymous counts keep it, as they keep a purged demande."""
    demande = Demande.objects.select_for_update().select_related("commune").filter(jeton_suivi=jeton).first()
    if demande is None:
        return None
    linfs = list(demande.linfs.all())
    purge.detruire(demande)
    for person in persons_of(linfs):
        notify(to=[person.email], sujet=f"monenfant : la demande {demande.reference} a été retirée par la famille",
               template="demandes/emails/retiree_pour_linf.txt",
               context={"demande": demande, "site_url": settings.SITE_URL}, territoire=demande.commune.departement_id)
    return demande


def _tell_linf_persons(demande: Demande, linfs) -> None:
    # No personal data of the family here: the email points to the professional area. One email a
    # person: nobody learns the addresses of the others.
    for person in persons_of(linfs):
        notify(to=[person.email], sujet="monenfant : une nouvelle demande d'information",
               template="demandes/emails/nouvelle_pour_linf.txt",
               context={"demande": demande, "site_url": settings.SITE_URL}, territoire=demande.commune.departement_id)


def orphelines():
    """New demandes that none of their LINF can read any more (guichet closed, convention or contract
    ended) and whose family was not told yet (one moved before may be stranded again)."""
    return (Demande.objects.filter(statut=StatutDemande.NOUVELLE, famille_prevenue_le__isnull=True)
            .exclude(linfs__in=linfs_ouverts()))


@transaction.atomic
def reorienter(demande: Demande) -> list:
    """No demande is stranded: it goes to the LINF open for the family's commune now (their persons are
    told), else the family learns that it will not be read online, and where to ask. Returns the new LINF."""
    demande = Demande.objects.select_for_update().select_related("commune__departement__caf").get(pk=demande.pk)
    if demande.statut != StatutDemande.NOUVELLE or demande.famille_prevenue_le:
        return []
    linfs = list(linfs_serving(demande.commune))
    if linfs:
        demande.linfs.set(linfs)
        demande.reorientee_le = timezone.now()
        demande.save(update_fields=["reorientee_le"])
        notify(to=[demande.email], sujet=f"monenfant : votre demande {demande.reference} est transmise",
               template="demandes/emails/transmise.txt", context={"demande": demande, "linfs": linfs},
               objet=demande.objet_notifications, territoire=demande.commune.departement_id)
        _tell_linf_persons(demande, linfs)
        return linfs
    demande.famille_prevenue_le = timezone.now()
    demande.save(update_fields=["famille_prevenue_le"])
    caf = getattr(demande.commune.departement, "caf", None)
    notify(to=[demande.email], sujet=f"monenfant : votre demande {demande.reference} ne pourra pas être lue en ligne",
           template="demandes/emails/non_lue.txt",
           context={"demande": demande, "aide": selectors.aide_proche(demande.commune), "caf": caf},
           objet=demande.objet_notifications, territoire=demande.commune.departement_id)
    return []


def reorienter_orphelines(demandes=None) -> dict:
    """Every stranded demande (or those among `demandes`), each in its own transaction. Idempotent."""
    queryset = orphelines() if demandes is None else orphelines().filter(pk__in=demandes)
    done = {"transmises": 0, "familles_prevenues": 0}
    for demande in queryset.order_by("cree_le").distinct():
        done["transmises" if reorienter(demande) else "familles_prevenues"] += 1
    return done


def reorienter_apres_fermeture(sender, structures, **kwargs) -> None:
    """linf.signals.guichets_fermes: the demandes these LINF had not opened yet."""
    reorienter_orphelines(Demande.objects.filter(linfs__in=structures).values("pk"))


@transaction.atomic
def read_demande(*, demande: Demande, user) -> Demande:
    """Each reading is logged; the connection control counts a demande once per person."""
    deja_lue = AccesDemande.objects.filter(demande=demande, user=user, action=ActionAcces.LECTURE).exists()
    AccesDemande.objects.create(demande=demande, user=user, action=ActionAcces.LECTURE)
    if not deja_lue:
        activite.record(user, activite.DEMANDES_OUVERTES)
    return demande


@transaction.atomic
def open_demande(*, demande: Demande, user) -> Demande:
    """The person opens a new demande (a button): it is traitée from now, and the family is told, once."""
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    _retrieve(demande, par=user)
    return demande


def _retrieve(demande: Demande, *, par) -> bool:
    """A new demande retrieved (opened or exported) becomes traitée and the family gets its accusé, once.
    The caller holds the row's lock."""
    if demande.statut != StatutDemande.NOUVELLE:
        return False
    traiter(demande, par=par)
    statistiques.count_opened(demande)
    notify(to=[demande.email], sujet=f"monenfant : votre demande {demande.reference} est prise en charge",
           template="demandes/emails/accuse_traitement.txt", context={"demande": demande},
           objet=demande.objet_notifications, territoire=demande.commune.departement_id)
    return True


@transaction.atomic
def traiter(demande: Demande, *, par, le=None) -> Demande:
    """The one way a demande becomes traitée: the transition, saved, and its log. Raises TransitionNotAllowed
    when it is traitée already."""
    depuis = demande.statut
    demande.traiter(par=par, le=le)
    demande.save(update_fields=["statut", "traitee_le", "traitee_par"])
    TransitionDemande.objects.create(demande=demande, depuis=depuis, vers=demande.statut, par=par, le=demande.traitee_le)
    return demande


@transaction.atomic
def export_demandes(*, demande_ids: list[int], user, fmt: str) -> int:
    """Exporting is retrieving (the LINF guide): each exported demande is logged and counted for the
    person's connection control, and each new one becomes traitée with its accusé, as when it is opened.
    Returns how many became traitée."""
    action = ActionAcces.EXPORT_XML if fmt == "xml" else ActionAcces.EXPORT_PDF
    AccesDemande.objects.bulk_create([AccesDemande(demande_id=pk, user=user, action=action) for pk in demande_ids])
    activite.record(user, activite.DEMANDES_EXPORTEES, len(demande_ids))
    nouvelles = Demande.objects.select_for_update().filter(pk__in=demande_ids, statut=StatutDemande.NOUVELLE).order_by("pk")
    return sum(_retrieve(demande, par=user) for demande in nouvelles)

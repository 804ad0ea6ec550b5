"""Writes of the professional area and of the habilitation workflow (services write, views stay thin).

Its emails go through the outbox (notifications.services.notify). No relay: anyone may send
/pro/habilitation/ and type any address there, so what we write to an address typed by the public, before a CAF agent has read the request, is our own fixed text, the CAF
the person chose in our list, the reference and the secret follow-up link: no organisme, name,
address, phone, function or any other text typed in the form (the follow-up page shows them).
Each email of the habilitations, checked:
- accuse_reception (to the requester, on submission): fixed text, CAF, reference, link.
- notification_caf (to the CAF's own mailbox, on submission): reference, the lieux d'information
  chosen in our directory, a count, the back-office link; the typed text stays in the back office.
- Nobody listed in the form is written to before validation: their activation email comes after it.
- After an agent has read the request, the emails keep what they hold: convention_envoyee (the agent
  sends it: the requester's name, the convention in PDF), validee and activation (the agent has
  validated the signed convention), avenant (persons typed by the agent), preavis, preavis_annule,
  rappel_fin_convention and fin_convention (validated conventions only, reasons typed by the agent).
- refusee: the reason typed by the agent, but no longer the requester's name: refusing is what an
  agent does with a request someone else typed, and the email goes to the address typed in it.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.services import notify
from structures.enums import Rubrique, TypeAccueil
from structures.models import CreneauDisponible, Structure
from structures.services import condenser_semaines

from . import modeles
from .enums import Role, StatutAvenant, StatutHabilitation, TypeDocument
from .models import Affectation, User
from .workflow import (
    Avenant,
    DemandeHabilitation,
    Document,
    PersonneHabilitee,
    TransitionAvenant,
    TransitionHabilitation,
)

CHAMPS_PERSONNE = ("prenom", "nom", "email", "fonction")

# A crèche's places by age group: declared with its places, dated like them.
CHAMPS_PLACES_PAR_AGE = ("places_bebes", "places_moyens", "places_grands")
AVAILABILITY_FIELDS = ("places_disponibles", "disponible_a_partir_du", *CHAMPS_PLACES_PAR_AGE)
# What a manager may change on their fiche in /pro/ (the rest is the CAF's referencing); champs_fiche says which
# of these a given fiche has.
CHAMPS_FICHE_GESTIONNAIRE = ("presentation", "telephone", "email", "site_web", "places_disponibles", "accueil_handicap",
                             "horaires_atypiques", *CHAMPS_PLACES_PAR_AGE, "tarif_horaire")
CHAMPS_FICHE_ASSMAT = ("presentation", "telephone", "age_min_mois", "age_max_mois", "capacite", "places_disponibles",
                       "disponible_a_partir_du", "horaires_atypiques", "accueil_handicap", "jardin", "animaux", "langues",
                       "pedagogie", "mam", "tarif_horaire", "indemnite_entretien", "prix_repas")


def fixe_son_prix(structure: Structure) -> bool:
    """A micro-crèche outside the PSU sets its own hourly price (the others follow the CNAF's barème)."""
    return (structure.rubrique == Rubrique.EAJE and structure.type_accueil == TypeAccueil.MICRO_CRECHE
            and not structure.financement_psu)


def champs_fiche(structure: Structure) -> tuple[str, ...]:
    """The fields this fiche's people keep in /pro/: an assistant maternel's, or a manager's; places by age group
    for a crèche only, an hourly price for a micro-crèche outside the PSU only."""
    if structure.rubrique == Rubrique.ASSMAT:
        return CHAMPS_FICHE_ASSMAT
    return tuple(name for name in CHAMPS_FICHE_GESTIONNAIRE
                 if (name not in CHAMPS_PLACES_PAR_AGE or structure.rubrique == Rubrique.EAJE)
                 and (name != "tarif_horaire" or fixe_son_prix(structure)))


@transaction.atomic
def update_fiche(*, structure: Structure, valeurs: Mapping[str, object],
                 creneaux: Iterable[tuple[int, str]] | None = None, confirme: bool = False) -> Structure:
    """Save what a manager changed in /pro/; places and availability carry the date they were last confirmed.
    `creneaux`, for an assistant maternel, are the (day, half-day) where a place is free. `confirme`: the person
    says the whole fiche is right ("Enregistrer et confirmer toute ma fiche"): the fiche, its places and its
    availability are dated now."""
    if interdits := set(valeurs) - set(champs_fiche(structure)):
        raise ValueError(f"Champs que le gestionnaire ne modifie pas : {', '.join(sorted(interdits))}")
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    now = timezone.now()
    changed = {name for name, value in valeurs.items() if getattr(structure, name) != value}
    for name in changed:
        setattr(structure, name, valeurs[name])
    if changed & {"places_disponibles", *CHAMPS_PLACES_PAR_AGE} or confirme:
        structure.places_mises_a_jour_le = now
    if confirme:
        structure.informations_confirmees_le = now
    if "mam" in changed:
        # A MAM the assistant names is listed once its manager or the CAF confirms it.
        structure.mam_confirmee_le = None
    old_creneaux = set(structure.creneaux_disponibles.values_list("jour", "demi_journee"))
    new_creneaux = None if creneaux is None else set(creneaux)
    creneaux_changed = new_creneaux is not None and new_creneaux != old_creneaux
    if changed & set(AVAILABILITY_FIELDS) or confirme or creneaux_changed:
        structure.disponibilite_mise_a_jour_le = now
        structure.rappel_disponibilite_envoye_le = None
    structure.save()
    if creneaux_changed:
        structure.creneaux_disponibles.all().delete()
        CreneauDisponible.objects.bulk_create(
            [CreneauDisponible(structure=structure, jour=j, demi_journee=d) for j, d in sorted(new_creneaux)]
        )
        condenser_semaines([structure.pk])
    return structure


# Who grants which role -------------------------------------------------------------------
# The back office, /pro/, the imports and the commands all go through these: the rules are here,
# not in a form.

LINF_PAR_HABILITATION = ("Le rôle de personne habilitée d'un lieu d'information est donné et retiré par "
                         "l'habilitation (validation, avenant), jamais ici.")


def check_grant(*, by: User, role: str, caf=None, structure=None) -> None:
    """Raise ValidationError unless `by` may give (or take back) this role: a person grants only the roles
    of their own territory and of a lower rank than theirs; the LINF role comes with the habilitation only."""
    if role == Role.LINF:
        raise ValidationError(LINF_PAR_HABILITATION)
    check_rank(by=by, role=role)
    check_territory(by=by, caf=caf, structure=structure)


def check_rank(*, by: User, role: str) -> None:
    """The CNAF gives the CAF administrators' roles, a CAF administrator the agents'."""
    if by.departements_geres() is None:
        return
    if role == Role.CNAF_ADMIN or (role == Role.CAF_ADMIN and not by.has_role(Role.CAF_ADMIN)):
        raise ValidationError("Ce rôle est attribué par la CNAF.")
    if role == Role.CAF_AGENT and not by.has_role(Role.CAF_ADMIN):
        raise ValidationError("Les agents d'une CAF sont gérés par l'administrateur de la CAF.")


def check_territory(*, by: User, caf=None, structure=None) -> None:
    """A CAF's people grant roles at their CAF and on the structures of their départements only."""
    departements = by.departements_geres()
    if departements is None:
        return
    if caf is not None and caf.departement_id not in departements:
        raise ValidationError("Cette CAF n'est pas de votre territoire.")
    if structure is not None and structure.commune.departement_id not in departements:
        raise ValidationError("Cette structure n'est pas de votre territoire.")


def _check_acts_on(by: User, user: User) -> None:
    if user.pk and user.affectations.exists() and not by.may_act_on(user):
        raise ValidationError("Vous ne pouvez pas modifier les rôles d'une personne de votre rang ou d'un rang supérieur.")


@transaction.atomic
def grant_role(*, by: User, user: User, role: str, caf=None, structure=None) -> Affectation:
    """Give `user` a role, if `by` may (check_grant); Django's is_staff follows (habilitations.signals)."""
    check_grant(by=by, role=role, caf=caf, structure=structure)
    _check_acts_on(by, user)
    affectation = Affectation(user=user, role=role, caf=caf, structure=structure)
    affectation.full_clean()
    affectation.save()
    return affectation


@transaction.atomic
def revoke_role(*, by: User, affectation: Affectation) -> None:
    """Take a role back, if `by` may; the LINF role ends only by an avenant or the end of the convention."""
    check_grant(by=by, role=affectation.role, caf=affectation.caf, structure=affectation.structure)
    _check_acts_on(by, affectation.user)
    affectation.delete()


# The habilitation workflow ---------------------------------------------------------------




def _context(demande, **extra):
    return {"demande": demande, "site_url": settings.SITE_URL, **extra}


def _log(demande, depuis, *, par, commentaire=""):
    TransitionHabilitation.objects.create(demande=demande, depuis=depuis, vers=demande.statut, par=par, commentaire=commentaire)


@transaction.atomic
def create_demande_habilitation(*, caf, organisme_nom, organisme_siret, organisme_adresse, demandeur_nom, demandeur_email,
                   demandeur_telephone, structures, communes, delai_recuperation_jours, personnes) -> DemandeHabilitation:
    demande = DemandeHabilitation.objects.create(
        caf=caf, organisme_nom=organisme_nom, organisme_siret=organisme_siret, organisme_adresse=organisme_adresse,
        demandeur_nom=demandeur_nom, demandeur_email=demandeur_email, demandeur_telephone=demandeur_telephone,
        delai_recuperation_jours=delai_recuperation_jours,
    )
    demande.structures.set(structures)
    demande.communes.set(communes)
    PersonneHabilitee.objects.bulk_create([PersonneHabilitee(demande=demande, **p) for p in personnes])
    # Nobody has read it yet, and anyone may have typed these addresses: no text typed in the form
    # goes into either email (this module's docstring). The persons listed are written to only
    # once an agent validates.
    notify(to=[demandeur_email], sujet=f"monenfant : demande d'habilitation {demande.reference} reçue",
           template="habilitations/emails/accuse_reception.txt", context=_context(demande),
           territoire=caf.departement_id)
    notify(to=[caf.email_habilitations], sujet=f"Nouvelle demande d'habilitation {demande.reference}",
           template="habilitations/emails/notification_caf.txt", context=_context(demande),
           territoire=caf.departement_id)
    return demande


@transaction.atomic
def send_convention(*, demande: DemandeHabilitation, par: User) -> Document:
    demande = DemandeHabilitation.objects.select_for_update().get(pk=demande.pk)
    depuis = demande.statut
    demande.envoyer_convention()
    demande.save()
    document = Document.objects.create(demande=demande, type=TypeDocument.CONVENTION, **modeles.convention_pdf(
        demande=demande, personnes=demande.personnes.filter(retiree_le__isnull=True)))
    _log(demande, depuis, par=par)
    # The agent has read the request and sends the convention: it may name the requester, and the PDF
    # holds the whole request.
    notify(to=[demande.demandeur_email], sujet=f"monenfant : votre convention {demande.reference} à signer",
           template="habilitations/emails/convention_envoyee.txt", context=_context(demande),
           piece_jointe=document.piece_jointe, territoire=demande.caf.departement_id)
    return document


def activation_link(user: User) -> str:
    """The single-use link by which a person sets their own password (nobody else ever does)."""
    return settings.SITE_URL + reverse("pro:nouveau_mot_de_passe", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })


def send_account_activation(*, user: User, par: User) -> None:
    """An account opened in the back office (a structure manager, an agent): the person gets the link."""
    affectation = par.affectations.filter(caf__isnull=False).select_related("caf").first()
    notify(to=[user.email], sujet="monenfant : activez votre compte", template="habilitations/emails/activation_compte.txt",
           context={"user": user, "lien": activation_link(user), "second_facteur": user.needs_second_factor,
                    "par_qui": f"la {affectation.caf.nom}" if affectation else "la CNAF"},
           territoire=affectation.caf.departement_id if affectation else "", secret=True)


def _activate(personne: PersonneHabilitee, demande: DemandeHabilitation):
    user = User.objects.filter(email__iexact=personne.email).first()
    if user is None:
        user = User(email=personne.email, first_name=personne.prenom, last_name=personne.nom)
        user.set_unusable_password()
        user.save()
    elif not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    for structure in demande.structures.all():
        Affectation.objects.get_or_create(user=user, role=Role.LINF, structure=structure)
    personne.user = user
    personne.save(update_fields=["user"])
    lien = activation_link(user)
    # After validation only (the agent has the signed convention): the organisme's name may appear.
    notify(to=[personne.email], sujet="monenfant : activez votre compte de personne habilitée",
           template="habilitations/emails/activation.txt", context=_context(demande, personne=personne, lien=lien),
           territoire=demande.caf.departement_id, secret=True)


@transaction.atomic
def validate(*, demande: DemandeHabilitation, par: User) -> DemandeHabilitation:
    demande = DemandeHabilitation.objects.select_for_update().get(pk=demande.pk)
    depuis = demande.statut
    demande.valider(par=par)
    demande.save()
    _log(demande, depuis, par=par)
    for personne in demande.personnes.filter(retiree_le__isnull=True):
        _activate(personne, demande)
    notify(to=[demande.demandeur_email], sujet=f"monenfant : demande d'habilitation {demande.reference} validée",
           template="habilitations/emails/validee.txt", context=_context(demande), territoire=demande.caf.departement_id)
    return demande


@transaction.atomic
def refuse(*, demande: DemandeHabilitation, par: User, motif: str) -> DemandeHabilitation:
    motif = (motif or "").strip()
    if not motif:
        raise ValueError("Indiquez le motif du refus : il est envoyé au demandeur.")
    demande = DemandeHabilitation.objects.select_for_update().get(pk=demande.pk)
    depuis = demande.statut
    demande.refuser(par=par, motif=motif)
    demande.save()
    _log(demande, depuis, par=par, commentaire=motif)
    # The agent's reason, but not the requester's name: a request someone else typed ends here.
    notify(to=[demande.demandeur_email], sujet=f"monenfant : demande d'habilitation {demande.reference} refusée",
           template="habilitations/emails/refusee.txt", context=_context(demande), territoire=demande.caf.departement_id)
    return demande


def withdraw_person(personne: PersonneHabilitee, demande: DemandeHabilitation):
    personne.retiree_le = timezone.now()
    personne.save(update_fields=["retiree_le"])
    user = personne.user
    if user is None:
        return
    Affectation.objects.filter(user=user, role=Role.LINF, structure__in=demande.structures.all()).delete()
    if not user.affectations.exists():
        # Nothing left to do here: the account closes, and with it every open session.
        user.is_active = False
        user.save(update_fields=["is_active"])


def _emails_habilites(demande: DemandeHabilitation) -> set[str]:
    return {p.email.lower() for p in demande.personnes.filter(retiree_le__isnull=True)}


def _check_no_duplicate(demande: DemandeHabilitation, ajouts: list[dict]) -> None:
    """A person is named once in a convention: not already habilitated, not added twice by one avenant."""
    known = _emails_habilites(demande)
    known |= {a["email"].lower() for ajouts_ in demande.avenants.filter(statut=StatutAvenant.ENVOYE)
              .values_list("ajouts", flat=True) for a in ajouts_}
    doublons, vus = [], set()
    for ajout in ajouts:
        email = ajout["email"].lower()
        if email in known or email in vus:
            doublons.append(ajout["email"])
        vus.add(email)
    if doublons:
        raise ValueError(f"Déjà habilitée : {', '.join(doublons)}.")


@transaction.atomic
def make_avenant(*, demande: DemandeHabilitation, par: User, ajouts: list[dict], retraits: list[PersonneHabilitee]) -> Avenant:
    """The agent writes the avenant: withdrawn persons lose their access at once; those added wait for the
    signed avenant's return (record_signed_avenant)."""
    demande = DemandeHabilitation.objects.select_for_update().get(pk=demande.pk)
    if demande.statut != StatutHabilitation.VALIDEE:
        raise ValueError("Un avenant modifie une habilitation validée.")
    if not ajouts and not retraits:
        raise ValueError("Ajoutez ou retirez au moins une personne.")
    _check_no_duplicate(demande, ajouts)
    for personne in retraits:
        withdraw_person(personne, demande)
    numero = demande.documents.filter(type=TypeDocument.AVENANT).count() + 1
    context = {"demande": demande, "numero": numero, "ajoutees": ajouts, "retirees": retraits}
    document = Document.objects.create(
        demande=demande, type=TypeDocument.AVENANT, numero=numero, **modeles.avenant_pdf(**context),
        texte=f"{len(ajouts)} ajoutée(s), {len(retraits)} retirée(s)",
    )
    avenant = Avenant.objects.create(demande=demande, numero=numero, document=document,
                                     ajouts=[{k: a[k] for k in CHAMPS_PERSONNE} for a in ajouts])
    avenant.retraits.set(retraits)
    TransitionAvenant.objects.create(avenant=avenant, vers=avenant.statut, par=par, commentaire=document.texte)
    TransitionHabilitation.objects.create(
        demande=demande, depuis=demande.statut, vers=demande.statut, par=par,
        commentaire=f"Avenant n° {numero} envoyé : {document.texte}",
    )
    notify(to=[demande.demandeur_email], sujet=f"monenfant : avenant n° {numero} à la convention {demande.reference}",
           template="habilitations/emails/avenant.txt", context=_context(**context),
           piece_jointe=document.piece_jointe, territoire=demande.caf.departement_id)
    return avenant


def _avenant_en_attente(avenant: Avenant) -> Avenant:
    avenant = Avenant.objects.select_for_update().select_related("demande").get(pk=avenant.pk)
    if not avenant.en_attente:
        raise ValueError(f"L'avenant n° {avenant.numero} est déjà « {avenant.get_statut_display()} ».")
    return avenant


@transaction.atomic
def record_signed_avenant(*, avenant: Avenant, par: User) -> Avenant:
    """The signed avenant came back: the persons it adds are habilitated and get their activation link."""
    avenant = _avenant_en_attente(avenant)
    demande = DemandeHabilitation.objects.select_for_update().get(pk=avenant.demande_id)
    if demande.statut != StatutHabilitation.VALIDEE:
        raise ValueError("La convention n'est plus en cours : l'avenant ne peut plus prendre effet.")
    # Someone habilitated meanwhile (by another avenant) is not added twice.
    deja = _emails_habilites(demande)
    if doublons := [a["email"] for a in avenant.ajouts if a["email"].lower() in deja]:
        raise ValueError(f"Déjà habilitée : {', '.join(doublons)}.")
    avenant.signer()
    avenant.save()
    for ajout in avenant.ajouts:
        _activate(PersonneHabilitee.objects.create(demande=demande, **ajout), demande)
    TransitionAvenant.objects.create(avenant=avenant, depuis=StatutAvenant.ENVOYE, vers=avenant.statut, par=par,
                                     commentaire=f"{len(avenant.ajouts)} personne(s) habilitée(s)")
    TransitionHabilitation.objects.create(demande=demande, depuis=demande.statut, vers=demande.statut, par=par,
                                          commentaire=f"Avenant n° {avenant.numero} signé reçu : il prend effet.")
    return avenant


@transaction.atomic
def cancel_avenant(*, avenant: Avenant, par: User, motif: str = "") -> Avenant:
    """Never signed: the persons it would have added are not habilitated (its withdrawals stand)."""
    avenant = _avenant_en_attente(avenant)
    avenant.annuler()
    avenant.save()
    commentaire = motif.strip() or "annulé par la CAF"
    TransitionAvenant.objects.create(avenant=avenant, depuis=StatutAvenant.ENVOYE, vers=avenant.statut, par=par,
                                     commentaire=commentaire)
    TransitionHabilitation.objects.create(demande=avenant.demande, depuis=avenant.demande.statut,
                                          vers=avenant.demande.statut, par=par,
                                          commentaire=f"Avenant n° {avenant.numero} annulé : {commentaire}")
    return avenant

"""The habilitation request, its state machine (django-fsm-2), its persons, documents and log."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from notifications.services import PieceJointe
from structures.models import Caf, Commune, Structure

from .delais import DELAI_PAR_DEFAUT, validateurs_delai
from .enums import PartiePreavis, StatutAvenant, StatutHabilitation, TypeDocument

S = StatutHabilitation


def _reference() -> str:
    return "HAB-" + secrets.token_hex(4).upper()


class DemandeHabilitationQuerySet(models.QuerySet):
    def for_departements(self, departements):
        return self if departements is None else self.filter(caf__departement__in=departements)

    def oldest_first(self):
        return self.order_by("cree_le")


class DemandeHabilitation(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField("référence", max_length=12, unique=True, default=_reference, editable=False)
    # Lets the requester follow the request without an account (link in the acknowledgement).
    jeton_suivi = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    caf = models.ForeignKey(Caf, on_delete=models.PROTECT, related_name="demandes_habilitation", verbose_name="CAF")
    organisme_nom = models.CharField("organisme", max_length=200)
    organisme_siret = models.CharField("SIRET", max_length=14, blank=True)
    organisme_adresse = models.CharField("adresse de l'organisme", max_length=255)
    demandeur_nom = models.CharField("nom du demandeur", max_length=150)
    demandeur_email = models.EmailField("courriel du demandeur")
    demandeur_telephone = models.CharField("téléphone du demandeur", max_length=20, blank=True)
    structures = models.ManyToManyField(Structure, related_name="demandes_habilitation", verbose_name="lieux d'information")
    communes = models.ManyToManyField(Commune, related_name="+", verbose_name="communes demandées")
    delai_recuperation_jours = models.PositiveSmallIntegerField(
        "délai pour récupérer les demandes (jours)", default=DELAI_PAR_DEFAUT, validators=validateurs_delai(),
    )
    statut = FSMField("statut", max_length=20, choices=S.choices, default=S.NON_TRAITEE, protected=True)
    cree_le = models.DateTimeField("reçue le", default=timezone.now)
    convention_envoyee_le = models.DateTimeField("convention envoyée le", null=True, blank=True)
    decidee_le = models.DateTimeField("décidée le", null=True, blank=True)
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="décidée par"
    )
    motif_refus = models.TextField("motif du refus", blank=True)
    # The convention's life (habilitations.conventions): a notice sets the end date.
    preavis_le = models.DateField("préavis reçu le", null=True, blank=True)
    preavis_par = models.CharField("préavis donné par", max_length=10, choices=PartiePreavis.choices, blank=True)
    preavis_motif = models.TextField("motif du préavis", blank=True)
    fin_le = models.DateField("fin de la convention le", null=True, blank=True, db_index=True)
    rappel_fin_envoye_le = models.DateTimeField("rappel de fin envoyé le", null=True, blank=True)
    terminee_le = models.DateTimeField("terminée le", null=True, blank=True)
    motif_fin = models.TextField("motif de la fin", blank=True)

    objects = DemandeHabilitationQuerySet.as_manager()

    class Meta:
        ordering = ["cree_le"]
        verbose_name = "demande d'habilitation"
        verbose_name_plural = "demandes d'habilitation"

    def __str__(self):
        return f"{self.reference} — {self.organisme_nom}"

    # For templates, which cannot name the enum.
    @property
    def est_validee(self) -> bool:
        return self.statut == S.VALIDEE

    @property
    def est_refusee(self) -> bool:
        return self.statut == S.REFUSEE

    @property
    def est_non_traitee(self) -> bool:
        return self.statut == S.NON_TRAITEE

    @property
    def convention_envoyee(self) -> bool:
        return self.statut == S.CONVENTION_ENVOYEE

    @property
    def est_terminee(self) -> bool:
        return self.statut == S.TERMINEE

    @property
    def sans_decision(self) -> bool:
        """Not yet validated nor refused: the convention may still be sent or signed."""
        return self.statut in (S.NON_TRAITEE, S.CONVENTION_ENVOYEE)

    @property
    def jours_d_attente(self) -> int:
        end = self.decidee_le or timezone.now()
        return (end - self.cree_le).days

    # Transitions: the services call them with the agent, log them and send the emails.
    @transition(field=statut, source=S.NON_TRAITEE, target=S.CONVENTION_ENVOYEE)
    def envoyer_convention(self):
        self.convention_envoyee_le = timezone.now()

    @transition(field=statut, source=S.CONVENTION_ENVOYEE, target=S.VALIDEE)
    def valider(self, *, par):
        self.decidee_le, self.decidee_par = timezone.now(), par

    @transition(field=statut, source=[S.NON_TRAITEE, S.CONVENTION_ENVOYEE], target=S.REFUSEE)
    def refuser(self, *, par, motif: str):
        self.decidee_le, self.decidee_par, self.motif_refus = timezone.now(), par, motif

    @transition(field=statut, source=S.VALIDEE, target=S.TERMINEE)
    def terminer(self, *, motif: str):
        self.terminee_le, self.motif_fin = timezone.now(), motif

    @property
    def date_effet(self):
        """The convention takes effect on signature, which the CAF records by validating."""
        return timezone.localdate(self.decidee_le) if self.statut in (S.VALIDEE, S.TERMINEE) and self.decidee_le else None


class PersonneHabilitee(models.Model):
    demande = models.ForeignKey(DemandeHabilitation, on_delete=models.CASCADE, related_name="personnes")
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel")
    fonction = models.CharField("fonction", max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="compte")
    ajoutee_le = models.DateTimeField("ajoutée le", default=timezone.now)
    retiree_le = models.DateTimeField("retirée le", null=True, blank=True)

    class Meta:
        ordering = ["nom", "prenom"]
        verbose_name = "personne habilitée"
        verbose_name_plural = "personnes habilitées"
        constraints = [models.UniqueConstraint(fields=["demande", "email"], name="personne_email_unique_par_demande")]

    def __str__(self):
        return f"{self.prenom} {self.nom} ({self.fonction})"


class TransitionHabilitation(models.Model):
    demande = models.ForeignKey(DemandeHabilitation, on_delete=models.CASCADE, related_name="transitions")
    depuis = models.CharField(max_length=20, choices=S.choices)
    vers = models.CharField(max_length=20, choices=S.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    le = models.DateTimeField("date", default=timezone.now)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["le"]
        verbose_name = "étape"

    def __str__(self):
        return f"{self.get_depuis_display()} → {self.get_vers_display()} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"


class Document(models.Model):
    """PDFs in the database: every app server of production reads the same ones."""

    demande = models.ForeignKey(DemandeHabilitation, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(max_length=12, choices=TypeDocument.choices)
    numero = models.PositiveSmallIntegerField("numéro", default=0, help_text="0 pour la convention, 1, 2… pour les avenants.")
    pdf = models.BinaryField()
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    texte = models.TextField(blank=True, help_text="Résumé : personnes ajoutées et retirées pour un avenant.")
    modele = models.ForeignKey("habilitations.ModeleDocument", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="modèle du texte")  # habilitations.modeles

    class Meta:
        ordering = ["cree_le"]
        constraints = [models.UniqueConstraint(fields=["demande", "type", "numero"], name="document_unique")]

    def __str__(self):
        return f"{self.get_type_display()} {self.numero or ''} — {self.demande.reference}".strip()

    @property
    def nom_fichier(self) -> str:
        suffix = f"-avenant-{self.numero}" if self.type == TypeDocument.AVENANT else "-convention"
        return f"{self.demande.reference}{suffix}.pdf"

    @property
    def piece_jointe(self) -> PieceJointe:
        """The copy an email carries (the outbox keeps its own: it points at no table of ours)."""
        return PieceJointe(nom=self.nom_fichier, contenu=bytes(self.pdf), type="application/pdf")



class Avenant(ConcurrentTransitionMixin, models.Model):
    """A change of the habilitated persons. Withdrawals take effect at once; the persons added get
    their account only when the agent records the signed avenant's return (services.record_signed_avenant)."""

    demande = models.ForeignKey(DemandeHabilitation, on_delete=models.CASCADE, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="avenant")
    statut = FSMField("statut", max_length=10, choices=StatutAvenant.choices, default=StatutAvenant.ENVOYE, protected=True)
    # The persons to add, as the agent typed them (prenom, nom, email, fonction): written to
    # PersonneHabilitee on the signed return, never before.
    ajouts = models.JSONField("personnes à ajouter", default=list, blank=True)
    retraits = models.ManyToManyField(PersonneHabilitee, related_name="+", blank=True, verbose_name="personnes retirées")
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)
    signe_recu_le = models.DateTimeField("avenant signé reçu le", null=True, blank=True)
    annule_le = models.DateTimeField("annulé le", null=True, blank=True)

    class Meta:
        ordering = ["numero"]
        verbose_name = "avenant"
        constraints = [models.UniqueConstraint(fields=["demande", "numero"], name="avenant_unique")]

    def __str__(self):
        return f"Avenant n° {self.numero} — {self.demande.reference} ({self.get_statut_display()})"

    @property
    def en_attente(self) -> bool:
        return self.statut == StatutAvenant.ENVOYE

    @transition(field=statut, source=StatutAvenant.ENVOYE, target=StatutAvenant.SIGNE)
    def signer(self):
        self.signe_recu_le = timezone.now()

    @transition(field=statut, source=StatutAvenant.ENVOYE, target=StatutAvenant.ANNULE)
    def annuler(self):
        self.annule_le = timezone.now()


class TransitionAvenant(models.Model):
    """Each step of an avenant, by whom and when, like the habilitation's log."""

    avenant = models.ForeignKey(Avenant, on_delete=models.CASCADE, related_name="transitions")
    depuis = models.CharField(max_length=10, choices=StatutAvenant.choices, blank=True)
    vers = models.CharField(max_length=10, choices=StatutAvenant.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    le = models.DateTimeField("date", default=timezone.now)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["le", "pk"]
        verbose_name = "étape d'un avenant"
        verbose_name_plural = "étapes des avenants"

    def __str__(self):
        depuis = self.get_depuis_display() or "—"
        return f"{depuis} → {self.get_vers_display()} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"

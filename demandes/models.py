import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from habilitations.delais import DELAI_PAR_DEFAUT
from habilitations.enums import Role
from linf.selectors import delai_traitement
from structures.models import Commune, Departement, Structure

from .enums import ActionAcces, Besoin, MoyenContact, Qualite, Situation, StatutDemande


def age_jours(cree_le: datetime.datetime, now: datetime.datetime | None = None) -> int:
    return ((now or timezone.now()) - cree_le) // datetime.timedelta(days=1)


def en_retard(cree_le: datetime.datetime, delai: int, *, now: datetime.datetime | None = None, facteur: int = 1) -> bool:
    """Overdue: still new after the LINF's delay (times facteur: the CAF is told at twice the delay)."""
    return age_jours(cree_le, now) > delai * facteur


def delai_minimal(linfs) -> int:
    """The shortest delay among these LINF (their guichet read with them), the default without any."""
    return min((delai_traitement(linf) for linf in linfs), default=DELAI_PAR_DEFAUT)


OBJET_NOTIFICATIONS = "demande:"  # then the reference: the key of a demande's emails in the outbox


def _reference() -> str:
    return "DI-" + secrets.token_hex(4).upper()


class DemandeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the persons habilitated on a LINF that received the demande, while they are."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(linfs__in=user.structures_habilitees(Role.LINF)).distinct()


class Demande(ConcurrentTransitionMixin, models.Model):
    """A family's demande d'information: personal data, kept six months at most.

    Its status changes only through traiter() (demandes.services.open_demande), which the log
    TransitionDemande records; the database refuses a traitée demande without its date, and the reverse."""

    reference = models.CharField("référence", max_length=12, unique=True, default=_reference, editable=False)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    linfs = models.ManyToManyField(Structure, related_name="demandes_information", verbose_name="lieux d'information")
    # Not protected: the tests and the raw-SQL benchmarks write rows in either state, and refresh_from_db must work.
    statut = FSMField("statut", max_length=10, choices=StatutDemande.choices, default=StatutDemande.NOUVELLE)
    qualite = models.CharField("vous êtes", max_length=12, choices=Qualite.choices)
    allocataire = models.BooleanField("allocataire CAF", default=False)
    numero_allocataire = models.CharField("numéro d'allocataire", max_length=20, blank=True)
    situation = models.CharField("situation", max_length=10, choices=Situation.choices, blank=True)
    besoin = models.CharField("mode d'accueil souhaité", max_length=15, choices=Besoin.choices)
    a_partir_du = models.DateField("à partir du")
    jours_horaires = models.CharField("jours et horaires", max_length=300, blank=True)
    horaires_atypiques = models.BooleanField("horaires atypiques", default=False)
    handicap = models.BooleanField("enfant en situation de handicap", default=False)
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel")
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    moyen_prefere = models.CharField("être contacté", max_length=10, choices=MoyenContact.choices, default=MoyenContact.EMAIL)
    moment_prefere = models.CharField("moment préféré", max_length=100, blank=True)
    message = models.TextField("message", blank=True)
    consentement_le = models.DateTimeField("consentement donné le")
    cree_le = models.DateTimeField("envoyée le", default=timezone.now, db_index=True)
    traitee_le = models.DateTimeField("traitée le", null=True, blank=True)
    traitee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name="traitée par")
    # Each reminder goes once: to the LINF past its delay, to the CAF past twice the delay.
    rappel_linf_le = models.DateTimeField("rappel envoyé au lieu d'information le", null=True, blank=True)
    alerte_caf_le = models.DateTimeField("signalée à la CAF le", null=True, blank=True)
    # When no LINF that received it can read it any more (end of a convention or of the contract, a guichet
    # closed): it moved to another LINF serving the commune, or the family was told (services.reorienter).
    reorientee_le = models.DateTimeField("transmise à un autre lieu d'information le", null=True, blank=True)
    famille_prevenue_le = models.DateTimeField("famille prévenue (non lue en ligne) le", null=True, blank=True)
    # The key of the family's private follow-up link (its confirmation email), set when the demande is sent:
    # whoever has it sees the status and may withdraw the demande. The demandes sent before it have none.
    jeton_suivi = models.CharField(  # noqa: DJ001 (none: NULL, which the partial unique index leaves out)
        "jeton de suivi", max_length=43, null=True, blank=True, editable=False)

    objects = DemandeQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "demande d'information"
        verbose_name_plural = "demandes d'information"
        # The unopened demandes are few among a million: the follow-up and the reminders read them here.
        indexes = [models.Index(fields=["cree_le"], condition=models.Q(statut=StatutDemande.NOUVELLE), name="demande_nouvelle")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(statut=StatutDemande.TRAITEE, traitee_le__isnull=False)
                | models.Q(statut=StatutDemande.NOUVELLE, traitee_le__isnull=True),
                name="demande_traitee_datee",
                violation_error_message="Une demande traitée a une date de traitement, une demande nouvelle n'en a pas.",
            ),
            # A partial unique index (the old demandes have no token), built concurrently (migration 0017).
            models.UniqueConstraint(fields=["jeton_suivi"], condition=models.Q(jeton_suivi__isnull=False),
                                    name="demande_jeton_suivi_unique"),
        ]

    def __str__(self):
        return self.reference

    # For templates, which cannot name the enums.
    @property
    def est_nouvelle(self) -> bool:
        return self.statut == StatutDemande.NOUVELLE

    @property
    def par_telephone(self) -> bool:
        return self.moyen_prefere == MoyenContact.TELEPHONE

    @property
    def en_insertion(self) -> bool:
        """Looking for work or in training: the AVIP places are meant for this family."""
        return self.situation in (Situation.RECHERCHE, Situation.FORMATION)

    @property
    def objet_notifications(self) -> str:
        """The key of the emails that carry this family's data: the purge destroys them with the demande."""
        return f"{OBJET_NOTIFICATIONS}{self.reference}"

    def delai_jours(self) -> int:
        """The shortest delay among the LINF that received it (prefetch linfs__guichet)."""
        return delai_minimal(self.linfs.all())

    def age_jours(self, now: datetime.datetime | None = None) -> int:
        return age_jours(self.cree_le, now)

    def en_retard(self, now: datetime.datetime | None = None, facteur: int = 1) -> bool:
        return self.statut == StatutDemande.NOUVELLE and en_retard(self.cree_le, self.delai_jours(), now=now, facteur=facteur)

    # The transition: the service saves the demande and writes the log (TransitionDemande) in its transaction.
    @transition(field=statut, source=StatutDemande.NOUVELLE, target=StatutDemande.TRAITEE)
    def traiter(self, *, par, le: datetime.datetime | None = None):
        self.traitee_le, self.traitee_par = le or timezone.now(), par


class Enfant(models.Model):
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="enfants")
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    date_prevue = models.DateField("date de naissance prévue", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_naissance__isnull=False) | models.Q(date_prevue__isnull=False),
                name="enfant_date_connue", violation_error_message="Indiquez une date de naissance ou la date prévue.",
            )
        ]

    def __str__(self):
        if self.date_naissance:
            return f"né(e) le {self.date_naissance:%d/%m/%Y}"
        return f"naissance prévue le {self.date_prevue:%d/%m/%Y}"


class AccesDemande(models.Model):
    """Every read and export of a demande, by whom and when (deleted with the demande)."""

    # No database constraint on this log, which holds no family data: checking it for each deleted
    # demande was a third of the purge's time. The purge deletes the log with the demande, and by date.
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="acces", db_constraint=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="personne")
    action = models.CharField(max_length=10, choices=ActionAcces.choices)
    le = models.DateTimeField("date", default=timezone.now)

    class Meta:
        ordering = ["le"]

    def __str__(self):
        return f"{self.get_action_display()} de {self.demande} par {self.user} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"


class TransitionDemande(models.Model):
    """Each change of a demande's status, by whom and when (deleted with the demande, by the purge too)."""

    # No database constraint, like AccesDemande: the purge deletes it with the demande, in its batches.
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="transitions", db_constraint=False)
    depuis = models.CharField(max_length=10, choices=StatutDemande.choices)
    vers = models.CharField(max_length=10, choices=StatutDemande.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name="par")
    le = models.DateTimeField("date", default=timezone.now)

    class Meta:
        ordering = ["le"]
        verbose_name = "étape d'une demande d'information"
        verbose_name_plural = "étapes des demandes d'information"

    def __str__(self):
        return f"{self.get_depuis_display()} → {self.get_vers_display()} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"


class StatistiqueDemande(models.Model):
    """Anonymous counts, written as demandes are sent and opened, that outlive the six-month purge."""

    mois = models.DateField("mois")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    linf = models.ForeignKey(Structure, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="lieu d'information")
    besoin = models.CharField(max_length=15, choices=Besoin.choices)
    tranche_age = models.CharField("âge de l'enfant", max_length=10)
    horaires_atypiques = models.BooleanField(default=False)
    handicap = models.BooleanField(default=False)
    situation = models.CharField(max_length=10, choices=Situation.choices, blank=True)
    statut = models.CharField(max_length=10, choices=StatutDemande.choices)
    delai_jours = models.PositiveIntegerField("délai avant traitement (jours)", null=True)
    # A demande sent to several LINF has a row per LINF; only its first LINF's row is marked, so that
    # counts of demandes (by commune, by need) read these rows and count each demande once.
    premier_lieu = models.BooleanField("premier lieu de la demande", default=True)
    nombre = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "statistique anonyme de demandes"
        constraints = [
            models.UniqueConstraint(
                fields=["mois", "commune", "linf", "besoin", "tranche_age", "horaires_atypiques", "handicap",
                        "situation", "statut", "delai_jours", "premier_lieu"],
                name="statistique_demande_unique", nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.mois:%m/%Y} {self.commune_id} {self.besoin} : {self.nombre}"


class DemandeNonServie(models.Model):
    """Unmet demand: a family stopped at the first step because nobody serves its commune online.
    Only the commune and the month: no person, no address, nothing else."""

    mois = models.DateField("mois")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    nombre = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "demande non servie"
        constraints = [models.UniqueConstraint(fields=["mois", "commune"], name="demande_non_servie_unique")]

    def __str__(self):
        return f"{self.mois:%m/%Y} {self.commune_id} : {self.nombre}"


class RecapitulatifBesoins(models.Model):
    """The national view of "Besoins et offre", one month of one département, computed each night
    (demandes.recapitulatif) from the anonymous counts, so that the country is not grouped on each request."""

    mois = models.DateField("mois")  # first day of the month
    departement = models.ForeignKey(Departement, on_delete=models.CASCADE, related_name="+", verbose_name="département")
    # The numeric columns of selectors.demandes() for the département and the month, with "jours" (the sum
    # of the delays) and "delais" ({delay in days: demandes}) so that several months add up; None: no demande.
    demandes = models.JSONField("demandes", null=True)
    non_servies = models.PositiveIntegerField("familles arrêtées", null=True)  # None: no row that month
    calcule_le = models.DateTimeField("calculé le")

    class Meta:
        ordering = ["mois", "departement"]
        verbose_name = "récapitulatif mensuel des besoins"
        verbose_name_plural = "récapitulatifs mensuels des besoins"
        constraints = [models.UniqueConstraint(fields=["mois", "departement"], name="recapitulatif_besoins_unique")]

    def __str__(self):
        return f"{self.mois:%m/%Y} {self.departement_id}"


class OffreDepartement(models.Model):
    """The offer of a département as the night's rollup found it (the columns of selectors.offre())."""

    departement = models.OneToOneField(Departement, on_delete=models.CASCADE, related_name="+", verbose_name="département")
    offre = models.JSONField("offre")
    calcule_le = models.DateTimeField("calculé le")

    class Meta:
        ordering = ["departement"]
        verbose_name = "offre d'un département"
        verbose_name_plural = "offre par département"

    def __str__(self):
        return str(self.departement_id)


class BesoinsOffre(StatistiqueDemande):
    """The back-office page "Besoins et offre" (Pilotage et statistiques): no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "besoins et offre"
        verbose_name_plural = "besoins et offre"

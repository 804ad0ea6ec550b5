from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMFieldMixin, transition
from simple_history.models import HistoricalRecords

from habilitations.delais import DELAI_MAX, DELAI_MIN, DELAI_PAR_DEFAUT, validateurs_delai
from structures.enums import Rubrique
from structures.models import Departement

from .signals import guichets_fermes


class FSMBooleanField(FSMFieldMixin, models.BooleanField):
    """A boolean that only transitions change (django-fsm): `ouvert` and `actif` stay the booleans every query reads."""


class EtatGuichet(models.TextChoices):
    FERME = "ferme", "fermé"
    OUVERT = "ouvert", "ouvert"


class EtatContrat(models.TextChoices):
    ACTIF = "actif", "actif"
    TERMINE = "termine", "terminé"


class ContratQuerySet(models.QuerySet):
    def actifs(self, today=None):
        """Active and signed, and not past its end date: routing stops on that day, before the daily task runs."""
        today = today or timezone.localdate()
        return self.filter(models.Q(fin_le__isnull=True) | models.Q(fin_le__gt=today), actif=True, signe_le__isnull=False)


class ContratCafCnaf(ConcurrentTransitionMixin, models.Model):
    """The CAF–CNAF contract of a département: the online LINF service runs only where it is active.

    The CNAF activates it in the admin; it ends through terminer() (linf.conventions.end_contract), logged in
    TransitionContrat."""

    departement = models.OneToOneField(Departement, on_delete=models.PROTECT, related_name="contrat_caf_cnaf",
                                       verbose_name="département")
    signe_le = models.DateField("signé le", null=True, blank=True)
    actif = FSMBooleanField("actif", default=False)
    commentaire = models.TextField("commentaire", blank=True)
    fin_le = models.DateField(
        "fin du contrat le", null=True, blank=True,
        help_text="Ce jour-là, tous les guichets du département ferment et les accès des personnes habilitées sont retirés.",
    )
    rappel_fin_envoye_le = models.DateTimeField("rappel de fin envoyé le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ContratQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["departement"]
        verbose_name = "contrat CAF–CNAF"
        verbose_name_plural = "contrats CAF–CNAF"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actif=False) | models.Q(signe_le__isnull=False),
                name="contrat_actif_signe",
                violation_error_message="Un contrat actif a une date de signature.",
            ),
            models.CheckConstraint(
                condition=models.Q(fin_le__isnull=True) | models.Q(signe_le__isnull=False, fin_le__gt=models.F("signe_le")),
                name="contrat_fin_apres_signature",
                violation_error_message="La fin du contrat vient après sa signature.",
            ),
        ]

    def __str__(self):
        etat = "actif" if self.actif else "inactif"
        return f"Contrat CAF–CNAF {self.departement} ({etat})"

    @transition(field=actif, source=True, target=False)
    def _terminer(self):
        self.termine_le = timezone.now()

    @transaction.atomic
    def terminer(self, *, motif: str, par=None) -> None:
        """Actif → terminé, saved and logged; TransitionNotAllowed when it is not active."""
        self._terminer()
        self.save(update_fields=["actif", "termine_le"])
        TransitionContrat.objects.create(contrat=self, depuis=EtatContrat.ACTIF, vers=EtatContrat.TERMINE, par=par,
                                         le=self.termine_le, motif=motif)


class Etape(models.Model):
    """One logged transition of a contract or a guichet: who, when, why (depuis/vers in each log)."""

    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name="par")
    le = models.DateTimeField("date", default=timezone.now)
    motif = models.TextField("motif", blank=True)

    class Meta:
        abstract = True
        ordering = ["le"]

    def __str__(self):
        return f"{self.get_depuis_display()} → {self.get_vers_display()} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"


class TransitionContrat(Etape):
    contrat = models.ForeignKey(ContratCafCnaf, on_delete=models.CASCADE, related_name="transitions")
    depuis = models.CharField(max_length=10, choices=EtatContrat.choices)
    vers = models.CharField(max_length=10, choices=EtatContrat.choices)

    class Meta(Etape.Meta):
        verbose_name = "étape du contrat"
        verbose_name_plural = "étapes du contrat"


class GuichetQuerySet(models.QuerySet):
    def fermer(self, *, par=None, motif: str = "") -> int:
        """Close these guichets: their LINF no longer receive demandes (one way for the agent's action,
        the end of a convention and the end of a contract). Each through its transition, logged: few rows."""
        fermes = 0
        with transaction.atomic(using=self.db):
            for guichet in self.filter(ouvert=True).select_for_update():
                guichet.fermer(par=par, motif=motif)
                fermes += 1
        return fermes


def _annoncer_fermeture(structure_id: int) -> None:
    # After the commit of the whole change (a contract's end closes many guichets in one transaction),
    # so that no demande moves to a LINF about to close too.
    transaction.on_commit(lambda: guichets_fermes.send(sender=Guichet, structures=[structure_id]))


class Guichet(ConcurrentTransitionMixin, models.Model):
    """The "guichet pour une demande en ligne" of a LINF fiche: closed until the CAF opens it."""

    structure = models.OneToOneField(
        "structures.Structure", on_delete=models.CASCADE, related_name="guichet",
        limit_choices_to={"rubrique": Rubrique.LINF},
    )
    # Changed by ouvrir() and fermer() only, each logged in TransitionGuichet.
    ouvert = FSMBooleanField("guichet ouvert", default=False)
    delai_traitement_jours = models.PositiveSmallIntegerField(
        "délai pour traiter une demande (jours)", default=DELAI_PAR_DEFAUT, validators=validateurs_delai(),
    )
    ouvert_le = models.DateTimeField("ouvert le", null=True, blank=True)

    history = HistoricalRecords()
    objects = GuichetQuerySet.as_manager()

    class Meta:
        verbose_name = "guichet pour une demande en ligne"
        verbose_name_plural = "guichets pour une demande en ligne"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delai_traitement_jours__gte=DELAI_MIN, delai_traitement_jours__lte=DELAI_MAX),
                name="guichet_delai_5_15",
                violation_error_message=f"Le délai est compris entre {DELAI_MIN} et {DELAI_MAX} jours.",
            )
        ]

    def __str__(self):
        return f"Guichet {'ouvert' if self.ouvert else 'fermé'} — {self.structure}"

    @property
    def etat(self) -> str:
        return EtatGuichet.OUVERT if self.ouvert else EtatGuichet.FERME

    @transition(field=ouvert, source=False, target=True)
    def _ouvrir(self):
        self.ouvert_le = timezone.now()

    @transition(field=ouvert, source=True, target=False)
    def _fermer(self):
        pass

    def ouvrir(self) -> None:
        """Fermé → ouvert; the caller saves and logs it (linf.services.open_guichet, after the rules).
        TransitionNotAllowed when it is open already."""
        self._ouvrir()

    @transaction.atomic
    def fermer(self, *, par=None, motif: str = "") -> None:
        """Ouvert → fermé, saved and logged; TransitionNotAllowed when it is closed already."""
        self._fermer()
        self.save(update_fields=["ouvert"])
        TransitionGuichet.objects.create(guichet=self, depuis=EtatGuichet.OUVERT, vers=EtatGuichet.FERME, par=par,
                                         motif=motif)
        _annoncer_fermeture(self.structure_id)


class TransitionGuichet(Etape):
    guichet = models.ForeignKey(Guichet, on_delete=models.CASCADE, related_name="transitions")
    depuis = models.CharField(max_length=10, choices=EtatGuichet.choices)
    vers = models.CharField(max_length=10, choices=EtatGuichet.choices)

    class Meta(Etape.Meta):
        verbose_name = "étape du guichet"
        verbose_name_plural = "étapes du guichet"


class ObjectifCouverture(models.Model):
    """The share of the population the online information service should cover (one row, set by the CNAF)."""

    taux_cible = models.PositiveSmallIntegerField(
        "objectif de couverture (% de la population)", default=80,
        validators=[MinValueValidator(1, "Au moins 1 %."), MaxValueValidator(100, "Au plus 100 %.")],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "couverture du service d'information"
        verbose_name_plural = "couverture du service d'information"

    def __str__(self):
        return f"Objectif : {self.taux_cible} % de la population"

    @classmethod
    def courant(cls) -> "ObjectifCouverture":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class InstantaneCouverture(models.Model):
    """The coverage of a département as it stood in a month: what the progress chart draws.

    Written by linf.services.snapshot_couverture; the current month's row is rewritten until the month ends.
    """

    mois = models.DateField("mois")  # first day of the month
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+", verbose_name="département")
    communes = models.PositiveIntegerField("communes")
    communes_couvertes = models.PositiveIntegerField("communes couvertes")
    population_totale = models.PositiveBigIntegerField("population")
    population_couverte = models.PositiveBigIntegerField("population couverte")
    mis_a_jour_le = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        ordering = ["departement", "mois"]
        verbose_name = "instantané mensuel de la couverture"
        verbose_name_plural = "instantanés mensuels de la couverture"
        constraints = [models.UniqueConstraint(fields=["mois", "departement"], name="instantane_couverture_unique")]

    def __str__(self):
        return f"{self.mois:%m/%Y} {self.departement_id} : {self.population_couverte} / {self.population_totale}"

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from structures.enums import Rubrique
from structures.models import Caf, Structure

from .enums import RANGS, ROLES_BACK_OFFICE, ROLES_CAF, ROLES_SECOND_FACTOR, ROLES_STRUCTURE, Role

# The habilitation workflow's models live in their own module (it imports nothing of this one); named here,
# Django registers them with this app's models.
from .modeles import ModeleDocument  # noqa: F401 (the documents' templates, registered the same way)
from .workflow import (
    Avenant,
    DemandeHabilitation,
    Document,
    PersonneHabilitee,
    TransitionAvenant,
    TransitionHabilitation,
)

__all__ = [
    "ActiviteMensuelle", "Affectation", "Avenant", "ControleConnexions", "DemandeHabilitation", "Document",
    "PersonneHabilitee", "TransitionAvenant", "TransitionHabilitation", "User", "UserManager", "axes_username", "identifiant",
]


def identifiant(text: str | None) -> str:
    """The one spelling of an address for login, lockout and the connection logs: people type capitals
    and spaces, and an attacker tries every variant of a locked address."""
    return (text or "").strip().lower()


# No account has a longer address (the users' email column); django-axes's username columns hold 255.
IDENTIFIANT_MAX = 254


def axes_username(request, credentials) -> str:
    """django-axes locks and logs this identity (AXES_USERNAME_CALLABLE), whatever the spelling typed.

    Cut to the longest address an account can have: a longer text typed at a login page is a failed login
    like another, not a database error (PostgreSQL refuses a value longer than its column)."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    return identifiant(source.get("username") or source.get("email"))[:IDENTIFIANT_MAX]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=identifiant(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def of_departements(self, departements):
        """People holding a role in these départements: at their CAF or on one of their structures."""
        return self.filter(
            Q(affectations__caf__departement__in=departements)
            | Q(affectations__structure__commune__departement__in=departements)
        ).distinct()

    def get_by_natural_key(self, username):
        return self.get(email=identifiant(username))

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person who logs in, by email. What they may do comes from their affectations."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)
    doit_changer_mot_de_passe = models.BooleanField(
        "doit changer son mot de passe", default=False,
        help_text="Un mot de passe généré doit être changé à la première connexion.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        name = self.get_full_name()
        return f"{name} <{self.email}>" if name else self.email

    def save(self, *args, **kwargs):
        self.email = identifiant(self.email)
        super().save(*args, **kwargs)

    # What structures/ and the other apps ask of a user, without importing this app.
    def has_role(self, *roles) -> bool:
        return self.is_active and any(a.role in roles for a in self._affectations())

    def _affectations(self):
        if not hasattr(self, "_affectations_cache"):
            self._affectations_cache = list(self.affectations.select_related("caf", "structure"))
        return self._affectations_cache

    @property
    def rang(self) -> int:
        """How high this person stands: who may act on whom in the back office (RANGS)."""
        if self.is_superuser:
            return max(RANGS.values()) + 1
        return max((RANGS[a.role] for a in self._affectations()), default=0)

    def may_act_on(self, other: "User") -> bool:
        """An agent acts on the structures' people, a CAF administrator also on agents, the CNAF on CAF
        administrators: never on a person of one's own rank or above (oneself included). The territory
        is checked by the back office's scope, not here."""
        return self.is_active and self.rang > other.rang

    @property
    def needs_second_factor(self) -> bool:
        """People who read families' data or run the back office log in with a second factor (ASVS L2)."""
        return self.is_superuser or self.is_staff or self.has_role(*ROLES_SECOND_FACTOR)

    @property
    def is_back_office(self) -> bool:
        """May open /administration/: the CNAF, or a person with a CAF role (structure people work in /pro/)."""
        return self.is_active and (self.is_superuser or self.has_role(*ROLES_BACK_OFFICE))

    def sync_staff(self) -> None:
        """Django's is_staff follows the roles: staff exactly when holding a CAF or CNAF role."""
        staff = self.is_superuser or self.affectations.filter(role__in=ROLES_BACK_OFFICE).exists()
        if self.is_staff != staff:
            self.is_staff = staff
            self.save(update_fields=["is_staff"])

    @property
    def is_cnaf(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(Role.CNAF_ADMIN))

    def departements_geres(self) -> set[str] | None:
        """Départements this person manages in the back office: None means the whole country."""
        if self.is_cnaf:
            return None
        return {a.caf.departement_id for a in self._affectations() if a.role in ROLES_CAF and a.caf_id}

    def structures_habilitees(self, *roles) -> set[int]:
        roles = roles or tuple(ROLES_STRUCTURE)
        return {a.structure_id for a in self._affectations() if a.role in roles and a.structure_id}


class Affectation(models.Model):
    """One role of one person: at a CAF (agents, CAF administrators) or on a structure."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="affectations", verbose_name="personne")
    role = models.CharField("rôle", max_length=14, choices=Role.choices)
    caf = models.ForeignKey(Caf, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations", verbose_name="CAF")
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, null=True, blank=True, related_name="affectations"
    )
    cree_le = models.DateTimeField("attribué le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rôle"
        verbose_name_plural = "rôles"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "caf", "structure"], name="affectation_unique"),
            models.CheckConstraint(
                condition=Q(role__in=[Role.CAF_ADMIN, Role.CAF_AGENT], caf__isnull=False, structure__isnull=True)
                | Q(role__in=[Role.GESTIONNAIRE, Role.ASSMAT, Role.LINF], structure__isnull=False, caf__isnull=True)
                | Q(role=Role.CNAF_ADMIN, caf__isnull=True, structure__isnull=True),
                name="affectation_portee_coherente",
                violation_error_message="Un rôle CAF désigne une CAF, un rôle de structure désigne une structure.",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.caf or self.structure or 'France entière'}"

    def clean(self):
        if self.role == Role.ASSMAT and self.structure_id and self.structure.rubrique != Rubrique.ASSMAT:
            raise ValidationError({"structure": "Un assistant maternel est rattaché à sa propre fiche d'assistant maternel."})
        if self.role == Role.LINF and self.structure_id and self.structure.rubrique != Rubrique.LINF:
            raise ValidationError({"structure": "Une personne habilitée LINF est rattachée à une fiche de lieu d'information."})


class ActiviteMensuelle(models.Model):
    """How one person used their access in one month, counted as it happens (the convention lets
    the CAF check it). Written by habilitations.activite; the control page reads only this table."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activites", verbose_name="personne")
    mois = models.DateField("mois", help_text="Premier jour du mois.")
    connexions = models.PositiveIntegerField("connexions", default=0)
    echecs = models.PositiveIntegerField("échecs de connexion", default=0)
    demandes_ouvertes = models.PositiveIntegerField("demandes ouvertes", default=0)
    demandes_exportees = models.PositiveIntegerField("demandes exportées", default=0)

    class Meta:
        verbose_name = "activité mensuelle"
        verbose_name_plural = "activités mensuelles"
        ordering = ["-mois"]
        constraints = [models.UniqueConstraint(fields=["user", "mois"], name="activite_mensuelle_unique")]

    def __str__(self):
        return f"{self.user_id} {self.mois:%m/%Y}"


class ControleConnexions(User):
    """The back-office page of the connection control: one row per habilitated person."""

    class Meta:
        proxy = True
        verbose_name = "personne habilitée (contrôle des connexions)"
        verbose_name_plural = "contrôle des connexions"


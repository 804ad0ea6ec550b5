"""Reads of the connection control: who is controlled, and their monthly counts (the admin only renders).

Everything comes from ActiviteMensuelle (written by habilitations.activite) and the roles: no log
and no demande is scanned.
"""

import datetime
from collections import defaultdict

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from monenfant import calendrier
from monenfant.regles import CONSERVATION_ACTIVITE_MOIS
from structures.enums import Rubrique

from .activite import FIELDS, mois_de
from .enums import Role
from .models import ActiviteMensuelle, Affectation, User
from .workflow import PersonneHabilitee

MOIS_CONTROLES = CONSERVATION_ACTIVITE_MOIS  # what the page offers is what is kept


def derniers_mois(n: int = MOIS_CONTROLES) -> list[datetime.date]:
    """The current month and the n - 1 before it, newest first."""
    return calendrier.derniers_mois(mois_de(), n)


def mois_choisi(value: str | None) -> datetime.date:
    """"2026-11" when it is one of the last 12 months; otherwise the current month."""
    choisi = calendrier.lire_mois(value)
    return choisi if choisi in derniers_mois() else mois_de()


def personnes(departements: set[str] | None, *, queryset: QuerySet | None = None) -> QuerySet:
    """Habilitated persons of these départements (None: the country): a LINF role there today, or
    withdrawn from an habilitation there (the CAF still controls their past activity)."""
    actuelles = Affectation.objects.filter(role=Role.LINF)
    retirees = PersonneHabilitee.objects.filter(user__isnull=False, retiree_le__isnull=False)
    if departements is not None:
        # A LINF role is on a LINF fiche (Affectation.clean), which carries its département: the few LINF fiches
        # of the département, rather than all its fiches through their communes (17,531 in Paris).
        actuelles = actuelles.filter(structure__rubrique=Rubrique.LINF, structure__departement__in=departements)
        retirees = retirees.filter(demande__structures__commune__departement__in=departements)
    queryset = User.objects.all() if queryset is None else queryset
    # One UNION of the two as a subquery, which PostgreSQL hashes once: an OR of two subqueries was planned
    # poorly, and the ids read first made each query of the page carry the country's 1,647 ids as literals
    # (composed, sent and parsed three times a page: 12 to 22 ms each).
    ids = actuelles.order_by().values("user_id").union(retirees.order_by().values("user_id"))
    return queryset.filter(pk__in=ids)


def with_activite(queryset: QuerySet, mois: datetime.date) -> QuerySet:
    """Annotate nb_connexions, nb_echecs, nb_demandes_ouvertes, nb_demandes_exportees for one month
    (0 without activity): one join on the unique (user, mois) index."""
    queryset = queryset.alias(activite_du_mois=FilteredRelation("activites", condition=Q(activites__mois=mois)))
    return queryset.annotate(**{f"nb_{field}": Coalesce(F(f"activite_du_mois__{field}"), 0) for field in FIELDS})


def lieux(user_ids, departements: set[str] | None) -> dict[int, list[str]]:
    """The LINF of each person in these départements; withdrawn access says since when."""
    actuelles = Affectation.objects.filter(role=Role.LINF, user__in=user_ids)
    retirees = PersonneHabilitee.objects.filter(user__in=user_ids, retiree_le__isnull=False)
    if departements is not None:
        actuelles = actuelles.filter(structure__commune__departement__in=departements)
        retirees = retirees.filter(demande__structures__commune__departement__in=departements)
    found: dict[int, list[str]] = defaultdict(list)
    for user_id, nom in actuelles.order_by("structure__nom").values_list("user_id", "structure__nom"):
        found[user_id].append(nom)
    rows = retirees.order_by("demande__structures__nom", "retiree_le").values_list(
        "user_id", "demande__structures__nom", "retiree_le")
    for user_id, nom, retiree_le in rows:
        if nom is not None and nom not in found[user_id]:
            found[user_id].append(f"{nom} (accès retiré le {timezone.localdate(retiree_le):%d/%m/%Y})")
    return dict(found)


def activite_sur_12_mois(user) -> list[dict]:
    """One row per month of the last 12, newest first, zeros included."""
    mois = derniers_mois()
    counts = {a.mois: a for a in ActiviteMensuelle.objects.filter(user=user, mois__gte=mois[-1])}
    return [{"mois": m, **{field: getattr(counts.get(m), field, 0) for field in FIELDS}} for m in mois]


def lignes_du_mois(departements: set[str] | None, mois: datetime.date):
    """The month's counts of every controlled person, as plain values (the CNAF exports the whole country),
    with their lieux d'information: (values, {user pk: [lieux]})."""
    personnes_ = personnes(departements)
    found = lieux(personnes_.values("pk"), departements)
    counts = [f"nb_{field}" for field in FIELDS]
    values = with_activite(personnes_, mois).order_by("last_name", "first_name", "email").values(
        "pk", "last_name", "first_name", "email", "last_login", *counts)
    return values, found

"""Routing: which LINF, and which persons, receive a demande for a commune."""

from habilitations.enums import Role
from habilitations.models import User
from structures.enums import Rubrique
from structures.models import Commune, Structure

from .models import ContratCafCnaf, Guichet

DELAI_PAR_DEFAUT = Guichet._meta.get_field("delai_traitement_jours").default


def linfs_serving(commune: Commune):
    """LINF fiches whose guichet is open and that serve the commune, in a département with an active contract."""
    codes = [commune.code_insee] + ([commune.commune_parente_id] if commune.commune_parente_id else [])
    active = ContratCafCnaf.objects.actifs().values("departement")
    return (
        Structure.objects.published()
        .filter(rubrique=Rubrique.LINF, guichet__ouvert=True, communes_desservies__in=codes,
                commune__departement__in=active)
        .distinct()
        .order_by("nom", "pk")
    )


def linfs_of_departement(code: str):
    """The information places that answer families' demandes online in a département."""
    if not ContratCafCnaf.objects.actifs().filter(departement_id=code).exists():
        return Structure.objects.none()
    return (Structure.objects.published()
            .filter(rubrique=Rubrique.LINF, guichet__ouvert=True, commune__departement_id=code)
            .select_related("commune").order_by("nom", "pk"))


def persons_of(structures) -> list[User]:
    return list(
        User.objects.filter(is_active=True, affectations__role=Role.LINF, affectations__structure__in=structures)
        .distinct().order_by("email")
    )


def delai_traitement(linf: Structure) -> int:
    """Days the LINF has to retrieve a demande: its guichet's, or the default while it has none."""
    guichet = getattr(linf, "guichet", None)
    return guichet.delai_traitement_jours if guichet else DELAI_PAR_DEFAUT

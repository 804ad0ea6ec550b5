"""What structures' public pages count (compteurs.usage does the counting): searches and fiche views."""

from compteurs import usage

from .enums import EvenementUsage


def count_fiche_view(structure) -> None:
    """A fiche viewed: its own row (for its manager), and its département's and rubrique's total, which the
    dashboards read so as not to add up every fiche of the country."""
    departement = structure.commune.departement_id
    usage.count(EvenementUsage.FICHE_VUE, structure=structure, departement=departement, rubrique=structure.rubrique)
    usage.count(EvenementUsage.FICHE_VUE, departement=departement, rubrique=structure.rubrique)


def count_search(*, departement, rubriques: list[str]) -> None:
    """One search: one count per rubrique searched, or one for "all rubriques"."""
    for rubrique in rubriques or [""]:
        usage.count(EvenementUsage.RECHERCHE, departement=departement, rubrique=rubrique)

"""Starting an import: the file and its mapping recorded, then the simulation; the import once confirmed."""

import json

from django.db import transaction

from ..enums import StatutImport
from ..models import Departement, ImportFiches
from .correspondance import Correspondance, CorrespondanceInvalide

TAILLE_MAX = 50 * 1024 * 1024


class ImportImpossible(ValueError):
    """Said to the person as is."""


def lire_correspondance(contenu: bytes | str | None) -> dict:
    """The mapping file's JSON, checked; {} when there is none (a data·inclusion file). Raises
    CorrespondanceInvalide with every problem."""
    if not contenu:
        return {}
    try:
        donnees = json.loads(contenu)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CorrespondanceInvalide([f"Le fichier de correspondance n'est pas un JSON valide ({error})."]) from None
    Correspondance.depuis_json(donnees)
    return donnees


@transaction.atomic
def preparer_import(*, fichier_nom: str, contenu: bytes, correspondance: dict, par=None,
                    departements: set[str] | None = None, complet: bool = False) -> ImportFiches:
    """Records the file; `departements` limits the rows it may write (a CAF's), None: any."""
    if not contenu:
        raise ImportImpossible("Le fichier est vide.")
    if len(contenu) > TAILLE_MAX:
        raise ImportImpossible(f"Le fichier dépasse {TAILLE_MAX // 1024 // 1024} Mo : découpez-le.")
    import_fiches = ImportFiches.objects.create(
        fichier_nom=fichier_nom[:255], contenu=contenu, correspondance=correspondance,
        source=str(correspondance.get("source") or "data-inclusion")[:40], complet=complet, cree_par=par,
    )
    if departements is not None:
        import_fiches.departements.set(Departement.objects.filter(code__in=departements))
    return import_fiches


def lancer(import_fiches: ImportFiches, *, simulation: bool) -> None:
    """Queued once the transaction that recorded it commits: a worker runs it (in-process on the embedded
    default)."""
    from ..tasks import importer_fiches

    if not simulation:
        updated = ImportFiches.objects.filter(pk=import_fiches.pk, statut=StatutImport.SIMULEE).update(
            statut=StatutImport.EN_ATTENTE, lignes_lues=0, etape="")
        if not updated:
            raise ImportImpossible("Cet import n'attend pas de confirmation.")
    transaction.on_commit(lambda: importer_fiches.delay(import_fiches.pk, simulation))

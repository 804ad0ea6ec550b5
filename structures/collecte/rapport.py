"""The report of an import as CSV: one line per row of the file, with what became of it and why."""

from backoffice.exports import write_csv

from ..models import ImportFiches

COLONNES = ["ligne", "resultat", "fiche", "nom", "motif", "avertissements", "conflits"]


def ecrire_rapport(import_fiches: ImportFiches, sortie) -> None:
    """`sortie` is a text file opened with newline="" (or an HttpResponse)."""
    lignes = import_fiches.lignes.order_by("ligne").iterator(chunk_size=2000)
    write_csv(sortie, COLONNES, (
        [ligne.ligne, ligne.get_resultat_display(), ligne.structure_id, ligne.nom, ligne.motif,
         ligne.avertissements.replace("\n", " | "), ligne.conflits.replace("\n", " | ")]
        for ligne in lignes
    ))

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from structures.collecte import service
from structures.collecte.correspondance import CorrespondanceInvalide
from structures.collecte.demarrage import ImportImpossible, lire_correspondance, preparer_import
from structures.collecte.rapport import ecrire_rapport
from structures.enums import EtapeImport, ResultatLigne, StatutImport


class Command(BaseCommand):
    help = ("Importe une liste de structures (CSV, XLSX, GeoJSON, data·inclusion) selon un fichier de "
            "correspondance : README, « Importer des fiches ».")

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--correspondance", type=Path, help="Fichier JSON de correspondance (inutile pour data·inclusion).")
        parser.add_argument("--simulation", action="store_true", help="Dire ce qui se passerait, sans rien écrire.")
        parser.add_argument("--rapport", type=Path, help="Écrire le rapport ligne à ligne dans ce fichier CSV.")
        parser.add_argument("--complet", action="store_true",
                            help="Le fichier contient toute la source : signaler à revoir les fiches qu'il ne contient plus.")
        parser.add_argument("--departements", nargs="*", metavar="CODE", help="N'écrire que les lignes de ces départements.")

    def handle(self, *args, fichier: Path, correspondance: Path | None, simulation: bool, rapport: Path | None,
               complet: bool, departements: list[str] | None, **options):
        debut = time.monotonic()
        # call_command passes its keywords as given (strings), not through the parser.
        fichier, correspondance = Path(fichier), Path(correspondance) if correspondance else None
        rapport = Path(rapport) if rapport else None
        try:
            contenu = fichier.read_bytes()
            donnees = lire_correspondance(correspondance.read_bytes() if correspondance else None)
            import_fiches = preparer_import(fichier_nom=fichier.name, contenu=contenu, correspondance=donnees,
                                            departements=set(departements) if departements else None, complet=complet)
        except OSError as error:
            raise CommandError(f"Lecture impossible : {error}") from None
        except (CorrespondanceInvalide, ImportImpossible) as error:
            raise CommandError(str(error)) from None
        resultats = service.executer(import_fiches, simulation=simulation, progression=self._progression)
        sys.stderr.write("\n")
        import_fiches.refresh_from_db()
        if import_fiches.statut == StatutImport.ECHEC:
            raise CommandError(import_fiches.erreur)
        if rapport:
            with rapport.open("w", encoding="utf-8", newline="") as sortie:
                ecrire_rapport(import_fiches, sortie)
        titre = "Simulation" if simulation else "Import"
        comptes = ", ".join(f"{resultats.get(r.value, 0)} {r.label.lower()}" for r in ResultatLigne)
        self.stdout.write(self.style.SUCCESS(
            f"{titre} de {import_fiches.lignes_total} lignes en {time.monotonic() - debut:.1f} s : {comptes} ; "
            f"{resultats.get('conflits', 0)} conflit(s), {resultats.get('a_geocoder', 0)} adresse(s) à géocoder"
            + (f", {resultats['absentes']} fiche(s) absente(s) de la source signalée(s)" if "absentes" in resultats else "")
            + "."
        ))
        if rapport:
            self.stdout.write(f"Rapport : {rapport}")
        self.stdout.write(json.dumps(resultats, ensure_ascii=False))

    @staticmethod
    def _progression(etape: str, lignes: int, total: int) -> None:
        sys.stderr.write(f"\r  {EtapeImport(etape).label} : {lignes} / {total} lignes   ")
        sys.stderr.flush()

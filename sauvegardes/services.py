"""Nightly backups of the database, kept SAUVEGARDES_JOURS days (30), then deleted: a demande's data
then lives no longer than its six months plus these 30 days anywhere (the personal-data page says so).
A backup restored later than that holds demandes past their time: the first daily purge deletes them
(it selects by date, whatever the database came from).

Shared machinery: it knows no app. PostgreSQL is dumped with pg_dump (custom format, for pg_restore);
the embedded SpatiaLite file is copied with SQLite's online backup. A file is written under a temporary
name and renamed when complete, so that a listed backup is always whole."""

import datetime
import logging
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)
PREFIXE = "monenfant-"


@dataclass
class Rapport:
    fichier: Path
    octets: int
    supprimees: int


def _nom(now: datetime.datetime, suffixe: str) -> str:
    return f"{PREFIXE}{timezone.localtime(now):%Y-%m-%dT%H%M%S}{suffixe}"


def _pg_dump(cible: Path) -> None:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    commande = [settings.PG_DUMP, "--format=custom", "--no-owner", f"--file={cible}",
                f"--host={db.get('HOST') or 'localhost'}", f"--port={db.get('PORT') or 5432}",
                f"--username={db.get('USER') or 'postgres'}", str(db["NAME"])]
    subprocess.run(commande, env=env, check=True, capture_output=True, timeout=100 * 60)  # noqa: S603 (our command)


def _sqlite(cible: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(cible)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def sauvegarder(*, now: datetime.datetime | None = None) -> Rapport:
    now = now or timezone.now()
    dossier = Path(settings.SAUVEGARDES_DIR)
    dossier.mkdir(parents=True, exist_ok=True)
    postgres = connection.vendor == "postgresql"
    fichier = dossier / _nom(now, ".dump" if postgres else ".sqlite3")
    partiel = fichier.with_name(fichier.name + ".partiel")
    try:
        (_pg_dump if postgres else _sqlite)(partiel)
        partiel.rename(fichier)
    finally:
        partiel.unlink(missing_ok=True)
    rapport = Rapport(fichier=fichier, octets=fichier.stat().st_size, supprimees=supprimer_anciennes(now=now))
    logger.info("Sauvegarde %s écrite (%d octets) ; %d sauvegarde(s) de plus de %d jours supprimée(s).",
                fichier.name, rapport.octets, rapport.supprimees, settings.SAUVEGARDES_JOURS)
    return rapport


def supprimer_anciennes(*, now: datetime.datetime | None = None) -> int:
    """Backups older than SAUVEGARDES_JOURS days, and pieces left by an interrupted one."""
    limite = (now or timezone.now()) - datetime.timedelta(days=settings.SAUVEGARDES_JOURS)
    supprimees = 0
    for chemin in Path(settings.SAUVEGARDES_DIR).glob(f"{PREFIXE}*"):
        ecrit_le = datetime.datetime.fromtimestamp(chemin.stat().st_mtime, tz=datetime.UTC)
        if ecrit_le < limite:
            chemin.unlink()
            supprimees += 1
    return supprimees

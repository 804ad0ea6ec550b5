"""The nightly backup: a whole file of the database (pg_dump on PostgreSQL, SQLite's backup on the embedded
default) that holds what was committed, and only 30 days of them."""

import datetime
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from sauvegardes.services import sauvegarder, supprimer_anciennes
from structures.tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgis]


def _age(path: Path, days: float) -> None:
    moment = (timezone.now() - datetime.timedelta(days=days)).timestamp()
    os.utime(path, (moment, moment))


def test_the_backup_holds_the_database_and_only_thirty_days_are_kept(tmp_path, settings):
    settings.SAUVEGARDES_DIR = tmp_path
    CommuneFactory(code_insee="43157")
    ancienne, recente = tmp_path / "monenfant-ancienne.dump", tmp_path / "monenfant-recente.dump"
    for path, days in ((ancienne, 31), (recente, 29)):
        path.write_bytes(b"x")
        _age(path, days)
    (tmp_path / "autre-fichier.txt").write_text("pas une sauvegarde")

    rapport = sauvegarder()

    assert rapport.supprimees == 1 and not ancienne.exists() and recente.exists()
    assert (tmp_path / "autre-fichier.txt").exists(), "only its own files"
    assert rapport.fichier.exists() and rapport.octets > 0 and not list(tmp_path.glob("*.partiel"))
    if connection.vendor == "postgresql":
        pg_restore = Path(settings.PG_DUMP).with_name("pg_restore")
        listing = subprocess.run([str(pg_restore), "--list", str(rapport.fichier)], capture_output=True, text=True,  # noqa: S603
                                 check=True).stdout
        assert "structures_commune" in listing and "demandes_demande" in listing
    else:
        with sqlite3.connect(rapport.fichier) as copie:
            assert copie.execute("SELECT code_insee FROM structures_commune").fetchall() == [("43157",)]


def test_nothing_is_deleted_before_its_time(tmp_path, settings):
    settings.SAUVEGARDES_DIR = tmp_path
    fichier = tmp_path / "monenfant-hier.dump"
    fichier.write_bytes(b"x")
    _age(fichier, 1)
    assert supprimer_anciennes() == 0 and fichier.exists()
    assert supprimer_anciennes(now=timezone.now() + datetime.timedelta(days=30)) == 1

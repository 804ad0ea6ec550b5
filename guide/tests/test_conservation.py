"""The personal-data page says how long backups and logs keep a demande, on a new site and after the upgrade."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from guide.models import PageLegale
from guide.seed_pages_legales import REMPLACEMENTS_DONNEES_PERSONNELLES

pytestmark = pytest.mark.django_db


def test_the_page_names_the_backups_and_the_logs(client):
    page = client.get("/donnees-personnelles/").content.decode()
    assert "Les sauvegardes de la base sont gardées <strong>30 jours</strong>" in page
    assert "journaux techniques\n  des serveurs" in PageLegale.objects.get(type="donnees-personnelles").corps
    assert "<strong>12 mois</strong>" in page


def test_the_upgrade_changes_the_seeded_text_only():
    migration = importlib.import_module("guide.migrations.0010_conservation_sauvegardes")
    page = PageLegale.objects.get(type="donnees-personnelles")
    ancien = page.corps
    for old, new in REMPLACEMENTS_DONNEES_PERSONNELLES:
        ancien = ancien.replace(new, old)
    PageLegale.objects.filter(pk=page.pk).update(corps=ancien)
    migration.conservation(apps, connection.schema_editor())
    assert PageLegale.objects.get(pk=page.pk).corps == page.corps
    edited = "Texte de l'éditeur, sans les phrases d'origine."
    PageLegale.objects.filter(pk=page.pk).update(corps=edited)
    migration.conservation(apps, connection.schema_editor())
    assert PageLegale.objects.get(pk=page.pk).corps == edited

"""What every migration that updates a legal page's seeded text must do (guide.seed_pages_legales)."""

from django.apps import apps
from django.db import connection

from guide.models import PageLegale


def verifier_la_migration_du_texte(migrer, remplacements, type_de_page: str = "donnees-personnelles"):
    """`migrer(apps, schema_editor)` brings a page still on the earlier seeded text to the current one, once only,
    and leaves an editor's text alone."""
    page = PageLegale.objects.get(type=type_de_page)
    ancien = page.corps
    for old, new in remplacements:
        ancien = ancien.replace(new, old)
    assert ancien != page.corps
    PageLegale.objects.filter(pk=page.pk).update(corps=ancien)
    for _ in range(2):  # once only
        migrer(apps, connection.schema_editor())
        assert PageLegale.objects.get(pk=page.pk).corps == page.corps
    edite = "Texte de l'éditeur, sans les phrases d'origine."
    PageLegale.objects.filter(pk=page.pk).update(corps=edite)
    migrer(apps, connection.schema_editor())
    assert PageLegale.objects.get(pk=page.pk).corps == edite

"""« Mis à jour le … » becomes the day an editor last reviewed a page (`revue_le`, set by hand in the back office)
instead of the last save's timestamp, which stays as « dernière modification ».

Existing rows get their review date from that timestamp, except a seeded page whose text nobody changed: it
gets the day its seeded text was checked. Legal pages always have one (they are always public); a guide page
needs one to be published."""

from django.db import migrations, models
from django.utils import timezone

from guide.seed import PAGES, SOURCES_COMMUNES
from guide.seed_pages_legales import PAGES_LEGALES, REVUE_PAGES_LEGALES

REVUE_AIDE = ("La date à laquelle vous avez relu la page et vérifié ses sources : la page l'affiche « Mis à jour le … ». "
              "Une correction de forme ne la change pas ; changez-la quand vous relisez le fond.")
REVUE_OBLIGATOIRE = "Indiquez la date à laquelle vous avez relu la page : elle est affichée sur la page publiée."


def _unchanged(row, seeded: dict, fields) -> bool:
    return all(getattr(row, field) == seeded[field] for field in fields)


def fill_review_dates(apps, schema_editor):
    DB = schema_editor.connection.alias if schema_editor else "default"  # noqa: N806
    seeded_pages = {page["slug"]: {"sources": SOURCES_COMMUNES, **page} for page in PAGES}
    for name in ("PageGuide", "HistoricalPageGuide"):
        for row in apps.get_model("guide", name).objects.using(DB).filter(revue_le__isnull=True):
            seeded = seeded_pages.get(row.slug)
            unchanged = name == "PageGuide" and seeded and _unchanged(row, seeded, ["titre", "chapo", "corps", "sources"])
            row.revue_le = seeded["revue_le"] if unchanged else timezone.localdate(row.mis_a_jour_le)
            row.save(update_fields=["revue_le"])  # update_fields: the timestamp of the last change stays
    for name in ("PageLegale", "HistoricalPageLegale"):
        for row in apps.get_model("guide", name).objects.using(DB).filter(revue_le__isnull=True):
            seeded = PAGES_LEGALES.get(row.type)
            unchanged = name == "PageLegale" and seeded and _unchanged(row, seeded, ["titre", "chapo", "corps"])
            row.revue_le = REVUE_PAGES_LEGALES if unchanged else timezone.localdate(row.mis_a_jour_le)
            row.save(update_fields=["revue_le"])


def revue_le(**options):
    return models.DateField("mis à jour le", blank=True, default=None, help_text=REVUE_AIDE, **options)


class Migration(migrations.Migration):

    dependencies = [
        ("guide", "0007_rubriques_mam"),
    ]

    operations = [
        migrations.AddField(model_name="pageguide", name="revue_le", field=revue_le(null=True)),
        migrations.AddField(model_name="historicalpageguide", name="revue_le", field=revue_le(null=True)),
        migrations.AddField(model_name="pagelegale", name="revue_le", field=revue_le(null=True)),
        migrations.AddField(model_name="historicalpagelegale", name="revue_le", field=revue_le(null=True)),
        migrations.RunPython(fill_review_dates, migrations.RunPython.noop),
        migrations.AlterField(model_name="pagelegale", name="revue_le", field=revue_le()),
        migrations.AlterField(model_name="historicalpagelegale", name="revue_le", field=revue_le()),
        migrations.AlterField(
            model_name="historicalpageguide",
            name="mis_a_jour_le",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="dernière modification"),
        ),
        migrations.AlterField(
            model_name="historicalpagelegale",
            name="mis_a_jour_le",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="dernière modification"),
        ),
        migrations.AlterField(
            model_name="pageguide",
            name="mis_a_jour_le",
            field=models.DateTimeField(auto_now=True, verbose_name="dernière modification"),
        ),
        migrations.AlterField(
            model_name="pagelegale",
            name="mis_a_jour_le",
            field=models.DateTimeField(auto_now=True, verbose_name="dernière modification"),
        ),
        migrations.AddConstraint(
            model_name="pageguide",
            constraint=models.CheckConstraint(
                condition=~models.Q(statut="publiee") | models.Q(revue_le__isnull=False),
                name="pageguide_publiee_avec_date_de_revue", violation_error_message=REVUE_OBLIGATOIRE),
        ),
    ]

"""The outbox is leaving for its own app (notifications), which knows no Document: each email keeps
a copy of the file it carries. The columns come here first, and are filled from the old link, while
this app still describes the table (SQLite rebuilds a table from the model that describes it)."""

from django.db import migrations, models


def copy_documents(apps, schema_editor):
    Notification = apps.get_model("habilitations", "Notification")
    db = schema_editor.connection.alias  # the database being migrated (tests migrate two)
    for notification in Notification.objects.using(db).filter(document__isnull=False).select_related("document__demande").iterator(chunk_size=100):
        document = notification.document
        suffix = f"-avenant-{document.numero}" if document.type == "avenant" else "-convention"  # Document.nom_fichier
        Notification.objects.using(db).filter(pk=notification.pk).update(
            piece_jointe_nom=f"{document.demande.reference}{suffix}.pdf",
            piece_jointe_type="application/pdf", piece_jointe=bytes(document.pdf),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("habilitations", "0005_alter_affectation_caf_alter_affectation_cree_le_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="piece_jointe_nom",
            field=models.CharField(blank=True, max_length=255, verbose_name="pièce jointe"),
        ),
        migrations.AddField(
            model_name="notification",
            name="piece_jointe_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="type de la pièce jointe"),
        ),
        migrations.AddField(
            model_name="notification",
            name="piece_jointe",
            field=models.BinaryField(blank=True, null=True, verbose_name="contenu de la pièce jointe"),
        ),
        migrations.RunPython(copy_documents, migrations.RunPython.noop),
    ]

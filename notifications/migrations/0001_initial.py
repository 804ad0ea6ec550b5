"""The outbox leaves habilitations with its table and its rows: habilitations.0006 gave each row a
copy of its attached file, habilitations.0007 dropped the old link; the table is taken as it is
(state only). A fresh database goes through the same steps."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("habilitations", "0007_notification_dans_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("destinataires", models.TextField(help_text="Adresses séparées par des virgules.")),
                        ("sujet", models.CharField(max_length=255)),
                        ("corps", models.TextField()),
                        ("piece_jointe_nom", models.CharField(blank=True, max_length=255, verbose_name="pièce jointe")),
                        ("piece_jointe_type", models.CharField(blank=True, max_length=100, verbose_name="type de la pièce jointe")),
                        ("piece_jointe", models.BinaryField(blank=True, null=True, verbose_name="contenu de la pièce jointe")),
                        ("cree_le", models.DateTimeField(default=django.utils.timezone.now, verbose_name="créée le")),
                        ("envoyee_le", models.DateTimeField(blank=True, null=True, verbose_name="envoyée le")),
                        ("tentatives", models.PositiveSmallIntegerField(default=0)),
                        ("derniere_erreur", models.TextField(blank=True, verbose_name="dernière erreur")),
                    ],
                    options={
                        "db_table": "habilitations_notification",
                        "ordering": ["cree_le"],
                        "indexes": [models.Index(fields=["envoyee_le"], name="notification_a_envoyer")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

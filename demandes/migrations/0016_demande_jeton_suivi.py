# The family's follow-up link (its confirmation email): a nullable column, no index (0017 builds it), no
# backfill (the demandes sent before it have no link).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('demandes', '0015_demandes_reorientees'),
    ]

    operations = [
        migrations.AddField(
            model_name='demande',
            name='jeton_suivi',
            field=models.CharField(blank=True, editable=False, max_length=43, null=True, verbose_name='jeton de suivi'),
        ),
    ]

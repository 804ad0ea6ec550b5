# The follow-up token is unique: a partial unique index on a million demandes, built without locking their
# writes (CREATE UNIQUE INDEX CONCURRENTLY on PostgreSQL: outside any transaction).

from django.db import migrations, models

from monenfant.migrations_ops import AjouterUnique


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('demandes', '0016_demande_jeton_suivi'),
    ]

    operations = [
        AjouterUnique(
            model_name='demande',
            constraint=models.UniqueConstraint(condition=models.Q(('jeton_suivi__isnull', False)), fields=('jeton_suivi',),
                                               name='demande_jeton_suivi_unique'),
        ),
    ]

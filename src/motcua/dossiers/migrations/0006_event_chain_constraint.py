# Every event chained (0005): seq becomes NOT NULL and unique per dossier (#16).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_event_chain_backfill'),
    ]

    operations = [
        migrations.AlterField(
            model_name='dossierevent',
            name='seq',
            field=models.PositiveIntegerField(editable=False, verbose_name='số thứ tự trong chuỗi'),
        ),
        migrations.AddConstraint(
            model_name='dossierevent',
            constraint=models.UniqueConstraint(fields=('dossier', 'seq'), name='unique_dossier_event_seq'),
        ),
    ]

# The hash chain of dossier events (#16), in three steps: the fields (nullable, so existing rows
# need no value yet), the backfill (0005), then NOT NULL and the unique (dossier, seq) (0006).
# Three migrations, so each runs in its own transaction: PostgreSQL refuses to ALTER a table
# that the same transaction has just updated row by row while trigger events are pending.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0003_inbox_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossierevent',
            name='seq',
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name='số thứ tự trong chuỗi'),
        ),
        migrations.AddField(
            model_name='dossierevent',
            name='prev_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='mã băm bản ghi trước'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='dossierevent',
            name='hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='mã băm'),
            preserve_default=False,
        ),
    ]

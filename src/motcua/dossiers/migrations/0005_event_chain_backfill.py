# Chains the events that existed before the chain (#16): per dossier, in (at, id) order — the
# order the history has always been shown in — seq 1, 2, 3… and each hash over the previous one.
# A thousand dossiers at a time (keyset on the dossier id), so memory stays flat and SQLite never
# reads and updates the same table in one statement.

from django.db import migrations

from motcua.history import chain

# The hashed fields as of this migration (dossiers.models.EVENT_CHAIN): frozen here, because a
# later change of that list needs its own migration re-chaining the rows anyway.
FIELDS = ("dossier_id", "action", "from_status", "to_status", "step_id", "agency_id", "actor_id", "at", "note",
          "reason_code", "data")
DOSSIERS_PER_BATCH = 1000


def backfill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    # One UPDATE per row, sent as a batch (psycopg pipelines executemany): Django's bulk_update
    # builds a CASE of a thousand branches per column, which ran at ~400 rows/s on PostgreSQL.
    sql = (f"UPDATE {qn(DossierEvent._meta.db_table)} SET {qn('seq')} = %s, {qn('prev_hash')} = %s, "
           f"{qn('hash')} = %s WHERE {qn('id')} = %s")
    last = 0
    while True:
        ids = list(Dossier.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
                   [:DOSSIERS_PER_BATCH])
        if not ids:
            return
        last = ids[-1]
        rows = (DossierEvent.objects.filter(dossier_id__in=ids).order_by("dossier_id", "at", "id")
                .values_list("id", *FIELDS))
        scope, seq, prev, updates = None, 0, chain.GENESIS, []
        for pk, *values in rows:
            payload = dict(zip(FIELDS, values))
            if payload["dossier_id"] != scope:
                scope, seq, prev = payload["dossier_id"], 0, chain.GENESIS
            seq += 1
            payload["seq"] = seq
            h = chain.link(prev, payload)
            updates.append((seq, prev, h, pk))
            prev = h
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0004_event_chain_fields'),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]

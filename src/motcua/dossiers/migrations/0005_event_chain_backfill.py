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
    last = 0
    while True:
        ids = list(Dossier.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
                   [:DOSSIERS_PER_BATCH])
        if not ids:
            return
        last = ids[-1]
        events = list(DossierEvent.objects.filter(dossier_id__in=ids).order_by("dossier_id", "at", "id"))
        scope, seq, prev = None, 0, chain.GENESIS
        for event in events:
            if event.dossier_id != scope:
                scope, seq, prev = event.dossier_id, 0, chain.GENESIS
            seq += 1
            payload = {f: getattr(event, f) for f in FIELDS} | {"seq": seq}
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = chain.link(prev, payload)
        DossierEvent.objects.bulk_update(events, ["seq", "prev_hash", "hash"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0004_event_chain_fields'),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]

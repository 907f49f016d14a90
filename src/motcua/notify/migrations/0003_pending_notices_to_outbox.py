# Notices planned before the outbox were delivered by a self-rescheduling task that no longer
# exists: give each still-pending notification its outbox message, so none is left behind.

from django.db import migrations


def forwards(apps, schema_editor):
    Notification = apps.get_model("notify", "Notification")
    Message = apps.get_model("outbox", "Message")
    for n in Notification.objects.filter(status="pending").order_by("pk").iterator():
        Message.objects.create(
            receiver="notice", kind=n.kind, payload={"notification": n.pk}, dossier_id=n.dossier_id,
            stream=f"notice:dossier:{n.dossier_id}:{n.channel}",
        )


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0002_delete_demomessage"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""/thong-bao/demo/: the demo SMS messages, for officers who may read the dossier only."""

from motcua.accounts.models import User
from tests.dossiers.factories import receive
from tests.moments import local
from tests.outbox.support import deliver_due


def test_officers_see_the_demo_sms_of_their_dossiers(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    deliver_due()
    client.force_login(world.receiver)
    html = client.get("/thong-bao/demo/").content.decode()
    assert "0912345678" in html and dossier.code in html and "da duoc tiep nhan" in html
    client.force_login(world.admin)
    assert dossier.code in client.get("/thong-bao/demo/").content.decode()


def test_other_communes_officers_see_nothing_and_citizens_are_refused(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    deliver_due()
    client.force_login(world.outsider)
    html = client.get("/thong-bao/demo/").content.decode()
    assert dossier.code not in html and "0912345678" not in html and "Chưa có tin nhắn nào" in html
    for user in (world.citizen, User.objects.create(username="la")):
        client.force_login(user)
        assert client.get("/thong-bao/demo/").status_code == 403  # a staff page, as every other
    client.logout()
    assert client.get("/thong-bao/demo/").status_code == 302

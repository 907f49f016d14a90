"""Kiosk device codes (#16): renewable by an administrator or the desk's manager, the old URL dead
at once; a rating on a tablet always counts for its desk and its current officer; the rate limit
counts in the database, so it holds across clients (and processes)."""

import re

import pytest
from django.test import Client

from motcua.ratings import services
from motcua.ratings.models import Kiosk, Rating
from tests.dossiers.factories import receive
from tests.moments import local


def kiosk_url(kiosk):
    return f"/danh-gia/quay/{kiosk.token}/"


def rotate_url(kiosk):
    return f"/danh-gia/thiet-bi/{kiosk.pk}/cap-ma-moi/"


# --- rotation -----------------------------------------------------------------------------------


def test_rotation_kills_the_old_url_and_the_new_one_works(client, world, kiosk):
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    old = kiosk_url(kiosk)
    assert client.get(old).status_code == 200
    rotated = services.kiosk_rotate_token(kiosk=kiosk, actor=world.admin)
    assert rotated.token != kiosk.token
    assert rotated.token_rotated_by == world.admin and rotated.token_rotated_at is not None
    for response in (client.get(old), client.post(old, {"level": "satisfied"})):
        html = response.content.decode()
        assert response.status_code == 404 and "không còn hiệu lực" in html and 'lang="vi"' in html
    assert not Rating.objects.exists()
    new = kiosk_url(rotated)
    assert client.get(new).status_code == 200
    assert client.post(new, {"level": "satisfied"}).status_code == 302
    assert Rating.objects.get().kiosk == kiosk


def test_the_desks_manager_rotates_from_the_kiosk_list_with_confirmation(client, world, kiosk):
    client.force_login(world.manager)
    html = client.get("/danh-gia/thiet-bi/").content.decode()
    assert "Cấp mã thiết bị mới" in html and kiosk.token not in html  # the credential is not listed
    old = kiosk.token
    # The list's button asks for confirmation first: nothing changes.
    response = client.post(rotate_url(kiosk))
    assert response.status_code == 200 and "Xác nhận cấp mã thiết bị mới" in response.content.decode()
    kiosk.refresh_from_db()
    assert kiosk.token == old
    response = client.post(rotate_url(kiosk), {"xac-nhan": "1"})
    kiosk.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200 and kiosk.token != old
    assert f"http://testserver/danh-gia/quay/{kiosk.token}/" in html and "chỉ hiển thị lần này" in html
    assert "no-store" in response["Cache-Control"]
    assert kiosk.token_rotated_by == world.manager
    # Shown once: nowhere on the list afterwards.
    assert kiosk.token not in client.get("/danh-gia/thiet-bi/").content.decode()


def test_get_on_the_rotate_url_changes_nothing(client, world, kiosk):
    client.force_login(world.admin)
    old = kiosk.token
    response = client.get(rotate_url(kiosk), {"xac-nhan": "1"})
    assert response.status_code == 200
    kiosk.refresh_from_db()
    assert kiosk.token == old and kiosk.token_rotated_at is None


def test_outsiders_cannot_rotate_and_nothing_changes(client, world, kiosk):
    old = kiosk.token
    # Anonymous: to the staff login.
    response = client.post(rotate_url(kiosk), {"xac-nhan": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/can-bo/dang-nhap/")
    # A citizen, an officer of another desk, and the desk's own receiver (who signs in to the
    # tablet but does not hold its credential): 403.
    for someone in (world.citizen, world.outsider, world.receiver):
        client.force_login(someone)
        assert client.post(rotate_url(kiosk), {"xac-nhan": "1"}).status_code == 403
        assert client.get(rotate_url(kiosk)).status_code == 403
    assert "Cấp mã thiết bị mới" not in client.get("/danh-gia/thiet-bi/").content.decode()
    for someone in (world.citizen, world.outsider, world.receiver, None):
        with pytest.raises(services.KioskNotPermitted):
            services.kiosk_rotate_token(kiosk=kiosk, actor=someone)
    kiosk.refresh_from_db()
    assert kiosk.token == old and kiosk.token_rotated_at is None and kiosk.token_rotated_by is None


def test_another_desks_manager_cannot_rotate(world, kiosk):
    from motcua.agencies.models import Membership, Role

    Membership.objects.create(user=world.outsider, agency=world.desk_b, role=Role.MANAGER)
    with pytest.raises(services.KioskNotPermitted):
        services.kiosk_rotate_token(kiosk=kiosk, actor=world.outsider)
    Membership.objects.create(user=world.outsider, agency=world.desk_a, role=Role.ADMIN)
    assert services.kiosk_rotate_token(kiosk=kiosk, actor=world.outsider).token_rotated_by == world.outsider


def test_the_admin_action_rotates_and_shows_the_new_url_once(client, world, kiosk):
    client.force_login(world.admin)
    old = kiosk.token
    response = client.post("/admin/ratings/kiosk/", {"action": "rotate_token", "_selected_action": [kiosk.pk]})
    kiosk.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200 and kiosk.token != old
    assert f"/danh-gia/quay/{kiosk.token}/" in html and "Đã cấp mã thiết bị mới" in html
    assert "Cấp mã thiết bị mới" in client.get("/admin/ratings/kiosk/").content.decode()
    assert kiosk.token not in client.get(f"/admin/ratings/kiosk/{kiosk.pk}/change/").content.decode()
    assert Client().get(f"/danh-gia/quay/{old}/").status_code == 404


# --- bound to the desk --------------------------------------------------------------------------


def test_a_rating_on_a_kiosk_counts_for_its_desk_and_current_officer(client, world, kiosk, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    elsewhere = receive(world, receiving_agency=world.desk_b, actor=world.outsider, competent_agency=world.commune_b)
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    # Whatever the form claims (another desk's dossier, an agency or officer field), the rating
    # is the tablet's desk's and its current officer's.
    client.post(kiosk_url(kiosk), {"level": "satisfied", "dossier_code": elsewhere.code,
                                   "agency": world.desk_b.pk, "officer": world.outsider.pk})
    rating = Rating.objects.get()
    assert (rating.agency, rating.officer, rating.kiosk, rating.dossier) == (world.desk_a, world.receiver, kiosk, None)
    # Another desk's tablet counts for that desk and its own officer.
    other = Kiosk.objects.create(agency=world.desk_b, name="Quầy B")
    services.kiosk_sign_in(kiosk=other, actor=world.outsider)
    client.post(kiosk_url(other), {"level": "dissatisfied"})
    assert Rating.objects.get(kiosk=other).agency == world.desk_b
    assert Rating.objects.get(kiosk=other).officer == world.outsider


# --- rate limit shared by clients ---------------------------------------------------------------


def test_the_rate_limit_holds_across_clients(world, kiosk, settings):
    """The limit counts the tablet's ratings in the database (under a row lock), not in a
    per-process cache: two clients (or two web processes) share it."""
    settings.RATING_KIOSK_LIMIT = 3
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    first, second = Client(), Client()
    codes = [c.post(kiosk_url(kiosk), {"level": "satisfied"}, REMOTE_ADDR=f"10.0.0.{i}").status_code
             for i, c in enumerate([first, second, first, second])]
    assert codes == [302, 302, 302, 429]
    assert Rating.objects.count() == 3
    assert re.search("thử lại sau", second.post(kiosk_url(kiosk), {"level": "satisfied"}).content.decode())

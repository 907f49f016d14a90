"""The counter tablet: the officer signs in from the desk, the citizen taps a big button."""

from datetime import timedelta

import pytest

from motcua.ratings import services
from motcua.ratings.models import Kiosk, Rating
from tests.dossiers.factories import receive
from tests.moments import local


def test_an_officer_of_the_desk_signs_in_and_is_rated(world, kiosk):
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    rating = services.rating_submit_kiosk(kiosk=kiosk, level="very_satisfied")
    assert (
        rating.officer == world.receiver
        and rating.agency == world.desk_a
        and rating.channel == "kiosk"
    )
    assert rating.kiosk == kiosk and rating.dossier is None


def test_signing_in_elsewhere_leaves_the_previous_counter(world, kiosk):
    other = Kiosk.objects.create(agency=world.desk_a, name="Quầy số 2")
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    services.kiosk_sign_in(kiosk=other, actor=world.receiver)
    kiosk.refresh_from_db()
    assert kiosk.current_officer is None
    with pytest.raises(services.RatingError, match="chưa có cán bộ"):
        services.rating_submit_kiosk(kiosk=kiosk, level="satisfied")


def test_an_officer_of_another_desk_cannot_sign_in(world, kiosk):
    for someone in (world.outsider, world.citizen):
        with pytest.raises(services.RatingError, match="Chỉ cán bộ"):
            services.kiosk_sign_in(kiosk=kiosk, actor=someone)


def test_a_dossier_code_ties_the_rating_when_it_belongs_to_this_desk(world, kiosk, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    elsewhere = receive(
        world, receiving_agency=world.desk_b, actor=world.outsider, competent_agency=world.commune_b
    )
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    assert (
        services.rating_submit_kiosk(
            kiosk=kiosk, level="satisfied", dossier_code=dossier.code.lower()
        ).dossier
        == dossier
    )
    assert (
        services.rating_submit_kiosk(
            kiosk=kiosk, level="satisfied", dossier_code=elsewhere.code
        ).dossier
        is None
    )
    assert (
        services.rating_submit_kiosk(
            kiosk=kiosk, level="satisfied", dossier_code="không-có"
        ).dossier
        is None
    )


def test_the_kiosk_is_rate_limited(world, kiosk, freeze, settings):
    settings.RATING_KIOSK_LIMIT, settings.RATING_KIOSK_WINDOW_SECONDS = 3, 60
    now = local(2026, 3, 2, 10, 0)
    freeze(now)
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    for _ in range(3):
        services.rating_submit_kiosk(kiosk=kiosk, level="very_satisfied")
    with pytest.raises(services.RatingError, match="thử lại sau") as caught:
        services.rating_submit_kiosk(kiosk=kiosk, level="very_satisfied")
    assert caught.value.field == "rate_limit"
    freeze(now + timedelta(seconds=61))
    services.rating_submit_kiosk(kiosk=kiosk, level="very_satisfied")
    assert Rating.objects.count() == 4


def test_the_kiosk_page_needs_no_login_and_has_three_big_buttons(client, world, kiosk):
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    url = f"/danh-gia/quay/{kiosk.token}/"
    html = client.get(url).content.decode()
    assert "Nguyễn Thị Tiếp Nhận" in html and "Mã hồ sơ (nếu có)" in html
    for value, label in (("very_satisfied", "Rất hài lòng"), ("satisfied", "Hài lòng"),
                         ("dissatisfied", "Không hài lòng")):
        assert f'value="{value}"' in html and label in html
    response = client.post(url, {"level": "satisfied"})
    assert response.status_code == 302 and response["Location"] == url + "?cam-on=1"
    assert "Cảm ơn Ông/Bà đã đánh giá" in client.get(response["Location"]).content.decode()
    assert Rating.objects.get().officer == world.receiver


def test_the_kiosk_page_answers_429_when_flooded(client, world, kiosk, settings):
    settings.RATING_KIOSK_LIMIT = 2
    services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    url = f"/danh-gia/quay/{kiosk.token}/"
    assert [client.post(url, {"level": "dissatisfied"}).status_code for _ in range(3)] == [
        302,
        302,
        429,
    ]
    assert Rating.objects.count() == 2


def test_unknown_or_inactive_kiosks_are_404(client, world, kiosk):
    assert client.get("/danh-gia/quay/khong-co/").status_code == 404
    kiosk.active = False
    kiosk.save()
    assert client.get(f"/danh-gia/quay/{kiosk.token}/").status_code == 404
    assert client.post(f"/danh-gia/quay/{kiosk.token}/", {"level": "satisfied"}).status_code == 404


def test_a_kiosk_without_an_officer_takes_no_rating(client, world, kiosk):
    url = f"/danh-gia/quay/{kiosk.token}/"
    assert "chưa có cán bộ phục vụ" in client.get(url).content.decode()
    assert client.post(url, {"level": "satisfied"}).status_code == 422
    assert not Rating.objects.exists()


def test_officers_sign_in_from_the_kiosk_page_of_the_desk(client, world, kiosk):
    client.force_login(world.receiver)
    html = client.get("/danh-gia/thiet-bi/").content.decode()
    assert "Quầy số 1" in html and "Nhận quầy" in html
    response = client.post(f"/danh-gia/thiet-bi/{kiosk.pk}/nhan-quay/")
    assert response.status_code == 302
    kiosk.refresh_from_db()
    assert kiosk.current_officer == world.receiver
    assert "Rời quầy" in client.get("/danh-gia/thiet-bi/").content.decode()
    client.post(f"/danh-gia/thiet-bi/{kiosk.pk}/roi-quay/")
    kiosk.refresh_from_db()
    assert kiosk.current_officer is None


def test_another_communes_officer_cannot_see_or_take_the_kiosk(client, world, kiosk):
    client.force_login(world.outsider)
    assert "Quầy số 1" not in client.get("/danh-gia/thiet-bi/").content.decode()
    assert client.post(f"/danh-gia/thiet-bi/{kiosk.pk}/nhan-quay/").status_code == 404
    client.force_login(
        world.citizen
    )  # not staff: the staff gate answers 403, as on every staff page
    assert client.get("/danh-gia/thiet-bi/").status_code == 403
    assert client.post(f"/danh-gia/thiet-bi/{kiosk.pk}/nhan-quay/").status_code == 403
    kiosk.refresh_from_db()
    assert kiosk.current_officer is None

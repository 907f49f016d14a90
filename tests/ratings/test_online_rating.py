"""The owner rates the service online, once, after the result."""

import pytest

from motcua.accounts.models import User
from motcua.dossiers import services as dossier_services
from motcua.ratings import services
from motcua.ratings.criteria import CRITERIA
from motcua.ratings.models import Rating


def test_the_owner_rates_once_and_the_rating_names_the_officer_who_served(world, finished):
    rating = services.rating_submit_online(
        dossier=finished,
        actor=world.citizen,
        level="very_satisfied",
        scores={"time": "satisfied", "attitude": "very_satisfied", "online": ""},
        comment="  Cán bộ nhiệt tình.  ",
    )
    assert (
        rating.channel == "online" and rating.dossier == finished and rating.agency == world.desk_a
    )
    assert rating.officer == world.receiver  # who accepted the online submission
    assert rating.scores == {"time": "satisfied", "attitude": "very_satisfied"}
    assert rating.comment == "Cán bộ nhiệt tình."
    with pytest.raises(services.RatingError, match="đã được đánh giá"):
        services.rating_submit_online(dossier=finished, actor=world.citizen, level="satisfied")
    assert Rating.objects.count() == 1


def test_after_the_return_the_officer_who_handed_it_over_is_rated(world, finished):
    dossier = dossier_services.dossier_return_result(
        dossier=finished, actor=world.receiver, method="counter", detail="Nguyễn Văn Định"
    )
    assert services.served_by(dossier) == world.receiver
    rating = services.rating_submit_online(dossier=dossier, actor=world.citizen, level="satisfied")
    assert rating.level == "satisfied"


def test_before_the_result_there_is_nothing_to_rate(world, owned):
    with pytest.raises(services.RatingError, match="sau khi có kết quả"):
        services.rating_submit_online(dossier=owned, actor=world.citizen, level="satisfied")


def test_only_the_owner_rates(world, finished):
    for someone in (world.receiver, world.outsider, None):
        with pytest.raises(services.RatingError, match="chủ hồ sơ"):
            services.rating_submit_online(dossier=finished, actor=someone, level="satisfied")


@pytest.mark.parametrize(
    "level, scores",
    [("", {}), ("great", {}), ("satisfied", {"price": "satisfied"}), ("satisfied", {"time": "ok"})],
)
def test_levels_and_criteria_are_checked(world, finished, level, scores):
    with pytest.raises(services.RatingError):
        services.rating_submit_online(
            dossier=finished, actor=world.citizen, level=level, scores=scores
        )
    assert not Rating.objects.exists()


def test_the_online_form_for_the_owner(client, world, finished):
    client.force_login(world.citizen)
    url = f"/danh-gia/ho-so/{finished.pk}/"
    html = client.get(url).content.decode()
    assert "Rất hài lòng" in html and "Hài lòng" in html and "Không hài lòng" in html
    for _key, label in CRITERIA:
        assert label in html
    response = client.post(
        url, {"level": "dissatisfied", "score_time": "dissatisfied", "comment": "Chậm"}
    )
    assert response.status_code == 302
    assert "Cảm ơn Ông/Bà đã đánh giá" in client.get(url).content.decode()
    rating = Rating.objects.get()
    assert (rating.level, rating.scores, rating.comment) == (
        "dissatisfied",
        {"time": "dissatisfied"},
        "Chậm",
    )
    client.post(url, {"level": "very_satisfied"})
    assert Rating.objects.get().level == "dissatisfied"


def test_a_form_without_a_level_is_answered_in_vietnamese(client, world, finished):
    client.force_login(world.citizen)
    response = client.post(f"/danh-gia/ho-so/{finished.pk}/", {"comment": "?"})
    assert response.status_code == 422 and "Hãy chọn một mức" in response.content.decode()


def test_outsiders_and_officers_get_404_on_the_rating_form(client, world, finished):
    stranger = User.objects.create(username="congdan2")
    for user in (stranger, world.outsider, world.receiver, world.manager):
        client.force_login(user)
        url = f"/danh-gia/ho-so/{finished.pk}/"
        assert client.get(url).status_code == 404, user
        assert client.post(url, {"level": "dissatisfied"}).status_code == 404, user
    assert not Rating.objects.exists()
    client.logout()
    assert client.get(f"/danh-gia/ho-so/{finished.pk}/").status_code == 302

"""晒一晒、比一比: contests rank the units a target is split to; a bulletin freezes the ranking it published."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.progress import rankings, services
from gaizao.progress.models import Contest
from tests.progress.conftest import indicator, sign


@pytest.fixture
def contest(world, set_target, period):
    """Streets A and B share the district's 10 signings; area-demolished is in the contest too, with less weight."""
    for code in ("households-signed", "area-demolished"):
        district = set_target(world.district, 10, indicator=indicator(code))
        services.target_split(by=world.olivia.user, target=district, shares={world.street_a: 5, world.street_b: 5})
    start, end = period
    weights = {"households-signed": 3, "area-demolished": 1}
    return rankings.contest_create(
        by=world.olivia.user, unit=world.olivia.unit, name="季度竞赛", start=start, end=end, weights=weights
    )


def test_the_weighted_score_ranks_the_units(world, contest, today):
    sign(world, world.house_a)  # street A: 1 of 5 signed = 20%; nothing demolished
    first, second = rankings.entries(contest, today)
    assert (first.name, first.score, first.rank) == (world.street_a.name, 15, 1)  # (3 × 20 + 1 × 0) / 4
    assert (second.name, second.score, second.rank) == (world.street_b.name, 0, 2)


def test_equal_scores_share_a_rank(world, contest, today):
    assert [e.rank for e in rankings.entries(contest, today)] == [1, 1]


def test_the_history_gives_each_units_rank_week_by_week(world, contest, today):
    sign(world, world.house_a)
    days, ranks = rankings.history(contest, today)
    assert days[-1] == today
    assert ranks[world.street_a.pk][-1] == 1 and ranks[world.street_b.pk][-1] == 2


@pytest.mark.parametrize(
    ("weights", "message"),
    [({}, "至少一个指标"), ({"no-such": 1}, "不存在"), ({"households-signed": 0}, "正整数")],
    ids=["none", "unknown indicator", "zero weight"],
)
def test_bad_weights_are_refused(world, weights, message, period):
    with pytest.raises(ValidationError, match=message):
        rankings.contest_create(
            by=world.olivia.user, unit=world.olivia.unit, name="竞赛", start=period[0], end=period[1], weights=weights
        )
    assert not Contest.objects.exists()


def test_only_the_office_sets_contests_and_publishes(world, contest, today, period):
    with pytest.raises(PermissionDenied):
        rankings.contest_create(
            by=world.alice.user,
            unit=world.street_a,
            name="竞赛",
            start=period[0],
            end=period[1],
            weights={"households-signed": 1},
        )
    with pytest.raises(PermissionDenied):
        rankings.bulletin_publish(by=world.alice.user, contest=contest, on=today)


def test_a_published_bulletin_keeps_its_ranking_and_prints(world, contest, today):
    bulletin = rankings.bulletin_publish(by=world.olivia.user, contest=contest, on=today, remarks="限期赶上")
    sign(world, world.house_b)  # the ledger moves on; the bulletin does not
    bulletin.refresh_from_db()
    assert [row["score"] for row in bulletin.ranking] == ["0.0", "0.0"]
    client = world.client(world.olivia)
    page = client.get(reverse("progress:bulletin", args=[bulletin.pk])).content.decode()
    assert "进展情况的通报" in page and "限期赶上" in page
    pdf = client.get(reverse("progress:bulletin_pdf", args=[bulletin.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert world.client(world.pat).get(reverse("progress:bulletin", args=[bulletin.pk])).status_code == 404


def test_the_contest_page_is_created_from_the_form_and_shows_the_ranking(world, set_target, period):
    district = set_target(world.district, 10)
    services.target_split(by=world.olivia.user, target=district, shares={world.street_a: 4, world.street_b: 6})
    client = world.client(world.olivia)
    response = client.post(
        reverse("progress:contests"),
        {
            "name": "签约竞赛",
            "start": period[0].isoformat(),
            "end": period[1].isoformat(),
            "weight-households-signed": "1",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "签约竞赛" in html and world.street_a.name in html and world.street_b.name in html
    refused = client.post(reverse("progress:contests"), {"name": "x", "start": "", "end": ""}, follow=True)
    assert "请填写开始和结束日期" in refused.content.decode()


def test_a_contest_by_project_ranks_the_projects_targets(world, set_target, period, today):
    from gaizao.projects.services import project_create

    other = project_create(
        code="other", name="东湖村改造", kind="urban-village", district=world.district, freeze_date=today
    )
    set_target(world.district, 1, project=world.project)
    set_target(world.district, 2, project=other)
    sign(world, world.house_a)
    contest = rankings.contest_create(
        by=world.olivia.user,
        unit=world.olivia.unit,
        name="项目擂台",
        start=period[0],
        end=period[1],
        weights={"households-signed": 1},
        by_project=True,
    )
    ranked = rankings.entries(contest, today)
    assert [(e.name, e.score, e.rank) for e in ranked] == [(world.project.name, 100, 1), ("东湖村改造", 0, 2)]

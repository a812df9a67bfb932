"""The progress pages: who sees which, the lights in Chinese, targets and splits posted by the office (and
refused otherwise), and the battle plan: milestones added, loops refused, done only with evidence."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gaizao.progress.models import Milestone, ResponsibilityAgreement, Target
from gaizao.progress.services import agreement_draft, milestone_complete, milestone_save
from tests.conftest import World
from tests.progress.conftest import indicator, proof, sign, upload


@dataclass
class Board:
    world: World
    district: Target  # 江北区's target on the project, not yet split
    agreement: ResponsibilityAgreement  # 城关街道's


@pytest.fixture
def board(world, set_target, period) -> Board:
    set_target(world.street_a, 1)  # A001 signed: 100% against a 10% calendar, green
    set_target(world.street_b, 10, yellow_gap=20)  # nothing signed: 10 points behind, under 20: yellow
    set_target(world.support, 10, yellow_gap=5)  # 10 points behind, over 5: red
    district = set_target(world.district, 10, project=world.project)
    start, end = period
    agreement = agreement_draft(
        by=world.olivia.user, unit=world.street_a, title="城关街道目标责任书", start=start, end=end, leader=world.alice
    )
    return Board(world, district, agreement)


def page(world, who, url, data=None) -> str:
    """The page as `who` sees it: fetched, or posted to and followed to where it redirects."""
    client = world.client(getattr(world, who))
    response = client.get(url) if data is None else client.post(url, data, follow=True)
    assert response.status_code == 200, (who, url)
    return response.content.decode()


# ---- who sees what -----------------------------------------------------------------------------------

URLS = {
    "overview": lambda b: reverse("progress:overview"),
    "unit": lambda b: reverse("progress:unit", args=[b.world.street_a.pk]),
    "split": lambda b: reverse("progress:target_split", args=[b.district.pk]),
    "agreements": lambda b: reverse("progress:agreements"),
    "agreement": lambda b: reverse("progress:agreement", args=[b.agreement.pk]),
    "plan": lambda b: reverse("progress:plan", args=[b.world.project.code]),
}
# page: (who gets it, who gets a 404)
ACCESS = {
    "overview": ("alice bob olivia lee ivy tom pat", ""),
    "unit": ("alice olivia lee ivy", "bob tom pat"),
    "split": ("olivia lee ivy", "alice bob pat"),
    "agreements": ("alice bob olivia lee ivy tom pat", ""),
    "agreement": ("alice olivia lee ivy", "bob tom pat"),
    "plan": ("alice bob olivia lee ivy tom", "pat"),
}


@pytest.mark.parametrize("name", ACCESS)
def test_each_page_is_shown_in_scope_and_a_404_outside_it(board, name):
    url = URLS[name](board)
    shown, hidden = (group.split() for group in ACCESS[name])
    got = {who: board.world.client(getattr(board.world, who)).get(url).status_code for who in shown + hidden}
    assert got == {who: 200 for who in shown} | {who: 404 for who in hidden}


def test_another_districts_official_sees_empty_lists(board):
    assert "没有目标任务。" in page(board.world, "pat", URLS["overview"](board))
    assert "还没有责任书。" in page(board.world, "pat", URLS["agreements"](board))


def test_the_overview_shows_each_light_in_chinese(board):
    sign(board.world, board.world.house_a)
    html = page(board.world, "lee", URLS["overview"](board))
    assert '<span class="light green">超前</span>' in html
    assert '<span class="light yellow">滞后 10.0</span>' in html
    assert '<span class="light red">严重滞后 10.0</span>' in html
    counts = {"green": "超前 2", "yellow": "滞后 1", "red": "严重滞后 1"}  # the district's 1 of 10 is level: green
    assert all(f'<span class="light {light}">{text}</span>' in html for light, text in counts.items())


# ---- targets and splits on the pages -----------------------------------------------------------------


def target_form(world, period, **fields) -> dict:
    start, end = period
    return {
        "indicator": indicator().pk,
        "unit": world.street_a.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "value": "8",
        "yellow_gap": "10",
    } | fields


def test_the_office_posts_a_target(world, period):
    html = page(world, "olivia", reverse("progress:target_create"), target_form(world, period))
    unit_page = reverse("progress:unit", args=[world.street_a.pk])
    assert "已保存" in html and f'<a href="{unit_page}">城关街道</a>' in html  # its row on the overview
    assert Target.objects.get().value == 8


def test_a_street_official_posting_a_target_is_refused_and_nothing_is_saved(world, period):
    response = world.client(world.alice).post(reverse("progress:target_create"), target_form(world, period))
    assert response.status_code == 403
    assert "只有指挥部办公室可为其管辖单位下达目标、起草责任书、编排时间节点" in response.content.decode()
    assert not Target.objects.exists()


def test_a_split_that_does_not_add_up_is_shown_and_nothing_is_saved(board):
    world, url = board.world, URLS["split"](board)
    shares = {f"share-{world.street_a.pk}": "4", f"share-{world.street_b.pk}": "5"}
    html = page(world, "olivia", url, shares)
    assert "分解合计 9.00 与“江北区”的目标 10.00 不一致，少 1.00户" in html
    assert f'name="share-{world.street_a.pk}" value="4"' in html  # what was typed is kept
    assert not board.district.shares.exists()

    html = page(world, "olivia", url, shares | {f"share-{world.street_b.pk}": "6"})
    assert "已保存" in html and "分解到下级单位" in html  # back on the district's own page
    assert dict(board.district.shares.values_list("unit__name", "value")) == {"城关街道": 4, "江滨街道": 6}


def test_a_target_set_for_a_later_period_shows_on_the_overview_as_not_started(world, today):
    later = (today + timedelta(days=30), today + timedelta(days=60))
    html = page(world, "olivia", reverse("progress:target_create"), target_form(world, later))
    assert "已保存" in html
    assert "未开始" in html


def test_the_split_page_of_a_headquarters_target_offers_only_units_it_can_split_to(world, set_target):
    hq = world.olivia.unit
    html = page(world, "olivia", reverse("progress:target_split", args=[set_target(hq).pk]))
    assert f'name="share-{world.street_a.pk}"' in html
    assert f'name="share-{hq.pk}"' not in html  # target_split refuses it: “城市更新指挥部”不是……的下级单位


# ---- the battle plan ---------------------------------------------------------------------------------


def milestone(world, name, duration, **fields) -> Milestone:
    return milestone_save(by=world.olivia.user, project=world.project, name=name, duration=duration, **fields)


def plan_url(world) -> str:
    return reverse("progress:plan", args=[world.project.code])


def test_a_milestone_is_added_on_the_plan_page(world, today):
    survey = milestone(world, "入户调查", 10)
    data = {
        "name": "签约",
        "duration": "30",
        "depends": [survey.pk],
        "deadline": (today + timedelta(days=60)).isoformat(),
        "unit": world.street_a.pk,
        "leader_name": "王主任",
    }
    assert "已保存" in page(world, "olivia", reverse("progress:milestone_add", args=[world.project.code]), data)
    signing = Milestone.objects.get(name="签约")
    assert (list(signing.depends_on.all()), signing.unit, signing.duration) == ([survey], world.street_a, 30)


def test_a_milestone_that_cannot_fit_before_its_deadline_is_refused_on_the_page(world, today):
    data = {"name": "签约", "duration": "30", "not_before": today.isoformat(), "deadline": today.isoformat()}
    html = page(world, "olivia", reverse("progress:milestone_add", args=[world.project.code]), data)
    assert f"节点“签约”的完成时限 {today} 早于最早开工 {today} 加工期 30 天" in html
    assert not Milestone.objects.exists()


def test_a_dependency_loop_made_by_editing_is_refused(world, today):
    survey = milestone(world, "入户调查", 10)
    appraise = milestone(world, "评估", 5, depends=[survey])
    signing = milestone(world, "签约", 30, depends=[appraise], deadline=today + timedelta(days=90))
    with pytest.raises(ValidationError) as caught:
        milestone_save(by=world.olivia.user, project=world.project, milestone=survey, depends=[signing])
    assert caught.value.messages == ["节点之间循环依赖：入户调查 → 签约 → 评估 → 入户调查"]
    assert not survey.depends_on.exists()


def test_changing_a_milestones_deadline_keeps_its_predecessors(world, today):
    survey = milestone(world, "入户调查", 10)
    signing = milestone(world, "签约", 30, depends=[survey], deadline=today + timedelta(days=90))
    milestone_save(by=world.olivia.user, project=world.project, milestone=signing, deadline=today + timedelta(days=80))
    assert list(signing.depends_on.all()) == [survey]


def test_a_milestone_is_done_only_with_its_evidence_by_the_office_or_its_unit(world, today):
    survey = milestone(world, "入户调查", 10, deadline=today + timedelta(days=30), unit=world.street_a)
    url = reverse("progress:milestone_done", args=[survey.pk])
    yesterday = (today - timedelta(days=1)).isoformat()
    assert "节点完成须上传佐证材料（照片、验收记录等）" in page(world, "alice", url, {"done_on": yesterday})
    refused = world.client(world.bob).post(url, {"done_on": yesterday, "evidence": upload("入户记录.pdf")})
    assert refused.status_code == 403
    assert "只有指挥部办公室或节点责任单位可登记节点进度" in refused.content.decode()
    survey.refresh_from_db()
    assert survey.done_on is None

    assert "已保存" in page(world, "alice", url, {"done_on": yesterday, "evidence": upload("入户照片.jpg")})
    survey.refresh_from_db()
    assert survey.done_on.isoformat() == yesterday and survey.evidence.name == "入户照片.jpg"


def test_the_plan_page_shows_the_critical_path_and_the_statuses(world, today):
    survey = milestone(world, "入户调查", 10, deadline=today + timedelta(days=30))
    yesterday = today - timedelta(days=1)
    milestone_complete(by=world.olivia.user, milestone=survey, done_on=yesterday, evidence=proof(world.olivia))
    appraise = milestone(world, "评估", 5, depends=[survey])  # latest finish today+7, expected today+4
    milestone(world, "签约", 10, depends=[appraise], deadline=today + timedelta(days=17))  # expected today+14
    milestone(world, "方案公示", 5, deadline=today + timedelta(days=60))

    html = page(world, "lee", plan_url(world))
    critical = ' <span class="pill hard">关键路径</span>'
    assert f"<td>评估{critical}</td>" in html and f"<td>签约{critical}</td>" in html
    assert html.count("关键路径") == 2
    assert f"按期完成 {yesterday}" in html and html.count("余量不足") == 2 and "正常" in html


def test_a_plan_that_cannot_be_scheduled_says_why(world):
    milestone(world, "入户调查", 10)
    assert "节点“入户调查”既没有完成时限，也没有后续节点，无法倒排" in page(world, "olivia", plan_url(world))


def test_the_office_adds_its_own_indicator_from_the_overview(world):
    from gaizao.progress.models import Indicator

    client = world.client(world.olivia)
    fields = {
        "code": "settled-mu",
        "name": "签约裁决土地",
        "unit_label": "亩",
        "formula": "land_area * 0.0015",
        "places": 2,
    }
    client.post(reverse("progress:indicator_create"), fields)
    assert Indicator.objects.get(code="settled-mu").district == world.district
    refused = client.post(
        reverse("progress:indicator_create"), fields | {"code": "bad", "formula": "signed + nope"}, follow=True
    )
    assert "不是台账统计项" in refused.content.decode() and not Indicator.objects.filter(code="bad").exists()
    world.client(world.alice).post(reverse("progress:indicator_create"), fields | {"code": "street-own"})
    assert not Indicator.objects.filter(code="street-own").exists()

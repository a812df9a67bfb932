"""Pre-acceptance: a checklist with weights and a pass mark, each point with its evidence; a fail climbs the ladder."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gaizao.supervision import services, tick
from tests.supervision.conftest import proof

ITEMS = [("违建存量清零", 40), ("新增违建零发生", 30), ("拆后土地利用", 30)]


def today():
    return timezone.localdate()


@pytest.fixture
def checklist(world):
    return services.checklist_create(by=world.olivia.user, name="无违建街道创建", items=ITEMS, pass_mark=90)


def record(world, checklist, points, on):
    scores = {
        name: (score, proof(world.olivia) if score else None, "")
        for (name, _), score in zip(ITEMS, points, strict=True)
    }
    return services.preacceptance_record(
        by=world.olivia.user, checklist=checklist, unit=world.street_a, held_on=on, scores=scores
    )


@pytest.mark.parametrize(
    ("items", "mark", "message"),
    [
        ([], 10, "至少要有一个"),
        ([("甲", 10), ("甲", 5)], 10, "重复"),
        ([("甲", 0)], 1, "正整数"),
        ([("甲", 10)], 11, "不超过满分"),
    ],
)
def test_a_bad_checklist_is_refused(world, items, mark, message):
    with pytest.raises(ValidationError, match=message):
        services.checklist_create(by=world.olivia.user, name="清单", items=items, pass_mark=mark)


def test_the_total_and_the_verdict_with_every_point_evidenced(world, checklist):
    run = record(world, checklist, [40, 30, 25], today())
    assert (run.total, run.passed) == (95, True)
    with pytest.raises(ValidationError, match="须附佐证"):
        services.preacceptance_record(
            by=world.olivia.user,
            checklist=checklist,
            unit=world.street_a,
            held_on=today(),
            scores={"违建存量清零": (10, None, "")},
        )
    with pytest.raises(ValidationError, match="应在 0 到 30 之间"):
        record(world, checklist, [40, 31, 30], today())


def test_a_failed_pre_acceptance_climbs_the_ladder_until_one_passes(world, checklist):
    record(world, checklist, [30, 30, 20], today() - timedelta(days=3))  # 80 < 90
    climbed = tick.run(today() - timedelta(days=2)).climbed
    assert [(c.subject.label, c.rung.name) for c in climbed] == [("无违建街道创建预验收不合格", "挂牌督办")]
    record(world, checklist, [40, 30, 30], today() - timedelta(days=1))
    assert tick.run(today()).resolved == 1


def test_the_office_sets_a_checklist_and_records_a_run_on_the_page(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from gaizao.supervision.models import Checklist, PreAcceptance

    office = world.client(world.olivia)
    office.post(
        reverse("supervision:checklists"),
        {"name": "场地清理验收", "pass_mark": "8", "items": "垃圾清运｜6\n围挡设置｜4"},
    )
    checklist = Checklist.objects.get()
    assert checklist.full_marks == 10
    photo = SimpleUploadedFile("现场.pdf", b"%PDF-1.4 photo", content_type="application/pdf")
    office.post(
        reverse("supervision:checklist", args=[checklist.pk]),
        {
            "unit": world.street_a.pk,
            "held_on": today().isoformat(),
            "score-0": "6",
            "evidence-0": photo,
            "score-1": "0",
        },
    )
    run = PreAcceptance.objects.get()
    assert (run.total, run.passed) == (6, False)
    page = office.get(reverse("supervision:checklist", args=[checklist.pk])).content.decode()
    assert "不合格" in page and "合格分 8" in page
    assert world.client(world.pat).get(reverse("supervision:checklist", args=[checklist.pk])).status_code == 404

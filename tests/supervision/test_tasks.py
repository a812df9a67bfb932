"""Meetings into tasks: the sentences that assign work, their units, quantities and deadlines; then items."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gaizao.supervision import services
from gaizao.supervision.models import ItemSource, Speech, SupervisionItem
from gaizao.supervision.tasks import deadline_of, propose

REF = date(2026, 3, 10)
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.mark.parametrize(
    ("sentence", "on"),
    [
        ("年内创成全省先进县", date(2026, 12, 31)),
        ("年底前完成拆除", date(2026, 12, 31)),
        ("9月14日前完成交房", date(2026, 9, 14)),
        ("确保2027年底前回迁", date(2027, 12, 31)),
        ("1个月内完成整改", date(2026, 4, 10)),
        ("三个月内拿出方案", date(2026, 6, 10)),
        ("本月底前报送", date(2026, 3, 31)),
    ],
)
def test_deadlines_are_read_and_resolved_from_the_day_of_the_speech(sentence, on):
    assert deadline_of(sentence, REF).on == on


def test_a_past_meetings_date_is_no_deadline():
    assert deadline_of("我们在7月5日的会议上就反复强调", REF) is None


def test_proposals_carry_units_quantities_deadlines_and_their_place_in_the_outline():
    speech = (
        "同志们：\n一、提高认识。这次会议非常重要。\n二、狠抓落实。一要强势推进拆违。"
        "城关街道要确保年底前完成拆违15万平方米，每个乡镇都要安排1-2个点打造亮点项目。"
        "区住建局要在1个月内拿出安置方案。"
    )
    _, proposals = propose(speech, ["城关街道", "区住建局"], REF)
    by_sentence = {p.sentence[:6]: p for p in proposals}
    assert "这次会议非常" not in by_sentence  # 重要 is no directive
    first = by_sentence["城关街道要确"]
    assert first.units == ["城关街道"] and first.quantities == ["15万平方米", "1-2个点"]
    assert first.deadline.on == date(2026, 12, 31) and first.path == ["二、狠抓落实", "一要强势推进拆违"]
    assert by_sentence["区住建局要在"].deadline.on == date(2026, 4, 10)


def test_without_an_outline_the_sentences_come_as_a_flat_list():
    _, proposals = propose("各街道要抓紧推进征收工作，年底前完成。各部门要加强配合。", [], REF)
    assert [p.path for p in proposals] == [[], []] and proposals[0].groups == ["各街道"]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_every_seed_gives_tasks_under_its_outline(seed):
    files = list(SEEDS.glob(f"{seed}_*.txt"))
    if not files:
        pytest.skip("../shared/seeds is not beside the project")
    roots, proposals = propose(files[0].read_text(encoding="utf-8"), [], REF)
    assert roots and len(proposals) >= 5
    assert sum(1 for p in proposals if p.path) >= len(proposals) // 2


def test_confirmed_tasks_become_items_all_or_none(world):
    speech = services.speech_save(
        by=world.olivia.user, title="推进会讲话", held_on=timezone.localdate(), text="一、城关街道要年底前完成拆除。"
    )
    deadline = date(timezone.localdate().year, 12, 31)
    good = {"title": "年底前完成拆除", "unit": world.street_a, "deadline": deadline}
    with pytest.raises(ValidationError, match="第 2 条任务：请选择责任单位"):
        services.speech_confirm(by=world.olivia.user, speech=speech, tasks=[good, {**good, "unit": None}])
    assert not SupervisionItem.objects.exists()
    [item] = services.speech_confirm(by=world.olivia.user, speech=speech, tasks=[good])
    assert item.source == ItemSource.SPEECH and item.speech == speech


def test_the_speech_page_proposes_and_confirms(world):
    client = world.client(world.olivia)
    text = "一、狠抓落实。一要强势推进拆违。城关街道要确保年底前完成拆违15万平方米。"
    page = client.post(
        reverse("supervision:speeches"),
        {"title": "推进会", "held_on": timezone.localdate().isoformat(), "text": text},
        follow=True,
    ).content.decode()
    assert "一、狠抓落实" in page and "15万平方米" in page
    speech = Speech.objects.get()
    deadline = date(timezone.localdate().year, 12, 31).isoformat()
    fields = {"take": ["0"], "title-0": "完成拆违15万平方米", "unit-0": world.street_a.pk, "deadline-0": deadline}
    client.post(reverse("supervision:speech", args=[speech.pk]), fields)
    assert SupervisionItem.objects.get().title == "完成拆违15万平方米"
    assert world.client(world.pat).get(reverse("supervision:speech", args=[speech.pk])).status_code == 404


def test_a_month_is_a_deadline_not_a_quantity():
    _, [proposal] = propose("西山街道要在1个月内完成拆除，面积不少于2万平方米。", ["西山街道"], REF)
    assert proposal.quantities == ["2万平方米"] and proposal.deadline.on == date(2026, 4, 10)

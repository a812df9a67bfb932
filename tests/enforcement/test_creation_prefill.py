"""无违建创建's pre-acceptance: the checklist items the cases answer come pre-filled from their figures
(由案件数据计算), kept as evidence by themselves; an inspector who changes one says why."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gaizao.enforcement import selectors, services
from gaizao.supervision import services as supervision

from .conftest import photo
from .test_cases import new_case, take_down

TODAY = timezone.localdate()
ITEMS = [
    ("存量违建清零", 30),
    ("新增违建零发生", 20),
    ("图斑核查到位", 10),
    ("拆后土地利用", 10),
    ("年度拆违任务完成", 20),
    ("长效管理机制", 10),
]


@pytest.fixture
def creation(world):
    checklist = supervision.checklist_create(by=world.olivia.user, name="无违建街道创建验收", items=ITEMS, pass_mark=80)
    return services.creation_declare(by=world.olivia.user, unit=world.street_a, year=TODAY.year, checklist=checklist)


def test_the_items_the_cases_answer_are_scored_from_their_figures(world, creation):
    new_case(world, kind="stock")  # standing
    take_down(world, new_case(world))  # new, removed, its land not yet planned
    take_down(world, new_case(world))
    new_case(world, source="survey", evidence=None)  # a survey find not yet checked
    prefill = selectors.checklist_prefill(checklist=creation.checklist, unit=world.street_a, year=TODAY.year)
    assert set(prefill) == {name for name, _ in ITEMS} - {"长效管理机制"}
    assert (prefill["存量违建清零"].score, prefill["存量违建清零"].figure) == (Decimal(0), "存量违建未拆除 1 宗")
    assert prefill["新增违建零发生"].score == Decimal(20)
    assert prefill["新增违建零发生"].figure == "今年新增违建 2 宗，新增违建未拆除 0 宗"
    assert (prefill["图斑核查到位"].score, prefill["拆后土地利用"].score) == (0, 0)
    removals = prefill["年度拆违任务完成"]
    assert removals.score == Decimal("13.3") and removals.figure == (
        "今年拆除违建 2 宗 240.00㎡，尚有 1 宗未拆除（拆除率 67%）"
    )
    assert selectors.checklist_prefill(checklist=creation.checklist, unit=world.street_b, year=TODAY.year) == {}


def record(world, creation, scores):
    return supervision.preacceptance_record(
        by=world.olivia.user, checklist=creation.checklist, unit=world.street_a, held_on=TODAY, scores=scores
    )


def test_a_computed_score_kept_needs_no_file_and_a_changed_one_needs_a_reason(world, creation):
    new_case(world, kind="stock")
    with pytest.raises(
        ValidationError, match="“存量违建清零”的得分 30 与由案件数据计算的 0.0 分不同，须在说明中写明理由"
    ):
        record(world, creation, {"存量违建清零": (30, photo(world.olivia), "")})
    evidence = photo(world.olivia)
    run = record(
        world,
        creation,
        {
            "存量违建清零": (10, evidence, "已签订限期拆除协议，按进度给分"),
            "新增违建零发生": (20, None, ""),  # computed: the cases are its evidence
            "年度拆违任务完成": (0, None, ""),
            "图斑核查到位": (10, None, ""),
            "拆后土地利用": (10, None, ""),
        },
    )
    stock, new = run.scores[0], run.scores[1]
    assert stock["computed"] == {"score": "0.0", "figure": "存量违建未拆除 1 宗"} and stock["score"] == "10"
    assert new["computed"]["score"] == "20.0" and new["evidence"] is None
    assert "computed" not in run.scores[-1] and run.total == Decimal(50)


def test_the_pre_acceptance_form_is_pre_filled_for_the_chosen_unit(world, creation):
    new_case(world, kind="stock")
    office = world.client(world.olivia)
    url = reverse("supervision:checklist", args=[creation.checklist_id])
    page = office.get(url, {"unit": world.street_a.pk}).content.decode()
    assert (
        "由案件数据计算：存量违建未拆除 1 宗" in page
        and 'name="score-1" inputmode="decimal" size="5" value="20.0"' in page
    )
    assert 'name="score-5" inputmode="decimal" size="5">' in page  # 长效管理机制: the inspector's own
    other = office.get(url, {"unit": world.street_b.pk}).content.decode()
    assert "由案件数据计算" not in other
    refused = office.post(
        url,
        {"unit": world.street_a.pk, "held_on": TODAY.isoformat(), "score-0": "30", "score-1": "20.0"},
        follow=True,
    )
    assert "须在说明中写明理由" in refused.content.decode()
    assert refused.redirect_chain[-1][0].endswith(f"?unit={world.street_a.pk}#preacceptance")
    done = office.post(
        url,
        {
            "unit": world.street_a.pk,
            "held_on": TODAY.isoformat(),
            **{f"score-{n}": value for n, value in enumerate(["0.0", "20.0", "10.0", "10.0", "0.0", "0"])},
        },
        follow=True,
    ).content.decode()
    assert "由案件数据计算：存量违建未拆除 1 宗（0.0 分）" in done and "不合格" in done

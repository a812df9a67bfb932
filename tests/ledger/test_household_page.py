"""The household page (四清, masked personal data, the timeline) and the ledger list (filters, sorting, queries)."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaizao.core.evidence import evidence_create
from gaizao.core.models import SensitiveAccess
from gaizao.ledger.models import HardCase, Wish
from gaizao.ledger.services import household_create, household_review, household_transition, household_update
from gaizao.ledger.stages import Stage
from gaizao.projects.services import project_create

FULL_ID = "11010519491231002X"
MASKED_ID = "1101**********002X"
FULL_PHONE = "13812345678"
MASKED_PHONE = "138****5678"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def text(page: str) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace squeezed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def detail(world, official, house, **params) -> str:
    response = world.client(official).get(reverse("ledger:household_detail", args=[house.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def clears_of(page: str) -> str:
    section = re.search(r'<section class="clears".*?</section>', page, flags=re.S)
    assert section, "no 四清 section on the page"
    return text(section.group(0))


def two_properties(world, **fields):
    return household_create(
        by=world.alice.user,
        project=world.project,
        street=world.street_a,
        number="A010",
        owner_name="周两处",
        wish=Wish.AGREE,
        choice="money",
        properties=[
            {
                "location": "人民路3号",
                "certificate_no": "江北房权证字第0001号",
                "certified_area": Decimal("100.00"),
                "unregistered_area": Decimal("20.00"),
                "recognised_area": Decimal("10.00"),
                "appraised_unit_price": Decimal("6000.00"),
                "decoration_value": Decimal("5000.00"),
                "attachments_value": Decimal("1000.00"),
            },
            {
                "location": "人民路3号附1",
                "certified_area": Decimal("50.50"),
                "appraised_unit_price": Decimal("5000.00"),
            },
        ],
        **fields,
    )


# ---- 四清 -----------------------------------------------------------------------------------------


def test_the_four_clears_add_up_both_properties(world):
    house = two_properties(world)

    clears = clears_of(detail(world, world.alice, house))

    # 房产状况: two houses, one certificate; certified 100 + 50.5, unregistered 20
    assert "房产状况 2处房屋，1本产权证 证载 150.50㎡ · 未登记 20.00㎡" in clears
    # 动迁面积 = certified + recognised = 150.50 + 10.00; unrecognised = 20 - 10
    assert "动迁面积 160.50 ㎡ 证载＋认定合法；未认定 10.00㎡" in clears
    # 补偿数量 = (100 + 10) × 6000 + 5000 + 1000 + 50.5 × 5000
    assert "补偿数量 918500.00 元" in clears
    assert "群众意愿 同意 货币补偿" in clears


def test_compensation_waits_for_every_property_to_be_appraised(world):
    house = two_properties(world)
    house.properties.filter(seq=2).update(appraised_unit_price=None)

    clears = clears_of(detail(world, world.alice, house))

    assert "补偿数量 待评估" in clears
    assert "动迁面积 160.50 ㎡" in clears


def test_a_household_without_a_wish_says_so(world):
    clears = clears_of(detail(world, world.alice, world.house_a))
    assert "群众意愿 未填报" in clears
    assert "房产状况 1处房屋，0本产权证" in clears
    assert "动迁面积 100.00 ㎡" in clears
    assert "补偿数量 600000.00 元" in clears


# ---- masked personal data ---------------------------------------------------------------------------


def test_the_id_number_is_masked_for_an_official_who_may_not_reveal_it(world):
    page = detail(world, world.alice, world.house_a)
    assert f"身份证号：{MASKED_ID}" in text(page)
    assert FULL_ID not in page
    assert "查看完整信息" not in page


def test_the_phone_is_masked_for_an_official_who_may_not_reveal_it(world):
    page = detail(world, world.alice, world.house_a)
    assert f"联系电话：{MASKED_PHONE}" in text(page)
    assert FULL_PHONE not in page, "the full phone number is on the page of an official who may not reveal it"


def test_asking_to_reveal_without_the_right_shows_masked_data_and_logs_nothing(world):
    page = detail(world, world.alice, world.house_a, reveal="1")
    assert MASKED_ID in page and FULL_ID not in page
    assert not SensitiveAccess.objects.exists()


def test_an_official_who_may_reveal_sees_masked_data_until_asking(world):
    page = detail(world, world.olivia, world.house_a)
    assert MASKED_ID in page and MASKED_PHONE in page
    assert FULL_ID not in page
    assert "查看完整信息（留痕）" in page and 'href="?reveal=1"' in page
    assert not SensitiveAccess.objects.exists()


def test_revealing_shows_the_full_numbers_and_leaves_a_trace(world):
    page = detail(world, world.olivia, world.house_a, reveal="1")

    assert f"身份证号：{FULL_ID}" in text(page) and f"联系电话：{FULL_PHONE}" in text(page)
    assert MASKED_ID not in page and "查看完整信息" not in page
    access = SensitiveAccess.objects.get()
    assert access.user == world.olivia.user
    assert (access.object_type, access.object_id) == ("household", world.house_a.pk)
    assert access.district_id == world.district.pk
    assert access.what == "户主身份证号、电话"


def test_each_reveal_is_logged_separately(world):
    detail(world, world.ivy, world.house_a, reveal="1")
    detail(world, world.ivy, world.house_b, reveal="1")
    detail(world, world.ivy, world.house_a)
    assert list(SensitiveAccess.objects.order_by("id").values_list("user", "object_id")) == [
        (world.ivy.user.pk, world.house_a.pk),
        (world.ivy.user.pk, world.house_b.pk),
    ]


def test_a_read_only_inspector_sees_masked_numbers_without_asking(world):
    page = detail(world, world.ivy, world.house_a)
    assert MASKED_ID in page and MASKED_PHONE in page
    assert FULL_ID not in page and FULL_PHONE not in page


# ---- the timeline ---------------------------------------------------------------------------------


def timeline(page: str) -> list[str]:
    block = re.search(r'<ul class="timeline card">(.*?)</ul>', page, flags=re.S)
    assert block
    return [text(item) for item in re.findall(r"<li>(.*?)</li>", block.group(1), flags=re.S)]


def test_the_timeline_lists_events_newest_first_with_readable_lines(world):
    house = world.house_a
    household_review(by=world.alice.user, household=house, note="入户复核")
    household_transition(by=world.alice.user, household=house, stage=Stage.APPRAISED, note="评估报告已送达")
    household_update(by=world.alice.user, household=house, changes={"persons": 4})

    items = timeline(detail(world, world.alice, house))

    assert len(items) == 4
    assert "修改 · 艾丽 ：家庭人口：3 → 4" in items[0]
    assert "阶段变更 · 艾丽 ：阶段：已调查 → 已评估 · 评估报告已送达" in items[1]
    assert "复核 · 艾丽 · 入户复核" in items[2]
    assert "建档" in items[3] and "手工建档" in items[3]
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d ", item) for item in items)


def test_the_timeline_shows_choices_by_their_labels(world):
    household_update(
        by=world.alice.user, household=world.house_a, changes={"wish": Wish.AGREE, "hard_case": HardCase.NAIL}
    )
    line = timeline(detail(world, world.alice, world.house_a))[0]
    assert "意愿：空 → 同意" in line, line
    assert "难点户：空 → 钉子户" in line, line


def test_the_timeline_masks_changed_phone_and_id_numbers(world):
    household_update(
        by=world.alice.user,
        household=world.house_a,
        changes={"phone": "13987654321", "id_number": "110105194912310029"},
    )
    page = detail(world, world.lee, world.house_a)
    line = timeline(page)[0]
    assert "联系电话" in line and "身份证号" in line
    for number in (FULL_PHONE, "13987654321", FULL_ID, "110105194912310029"):
        assert number not in page, f"{number} in the timeline of an official who may not reveal it: {line}"


def test_the_timeline_links_evidence(world):
    evidence = evidence_create(
        by=world.alice.user, upload=SimpleUploadedFile("签约协议.pdf", b"%PDF-1.4", content_type="application/pdf")
    )
    house = world.house_a
    household_review(by=world.alice.user, household=house)
    household_transition(by=world.alice.user, household=house, stage=Stage.APPRAISED)
    household_transition(by=world.alice.user, household=house, stage=Stage.SIGNED, evidence=evidence)

    page = detail(world, world.alice, house)

    assert "阶段：已评估 → 已签约" in timeline(page)[0]
    assert f'<a href="{reverse("ledger:evidence", args=[evidence.pk])}">签约协议.pdf</a>' in page


# ---- the list: filters, sorting, queries --------------------------------------------------------

LIST = reverse("ledger:household_list")
OWNERS = {"A001": "张三明", "A002": "张小红", "A003": "陈大文", "B001": "李四", "B002": "王五"}


def numbers(page: str) -> list[str]:
    return re.findall(r'households/\d+/">([^<]+)</a>', page)


@pytest.fixture
def ledger(world):
    """Five households: two projects, both streets, one held by a support unit, a nail household."""
    other = project_create(
        code="binjiang",
        name="滨江路拓宽工程",
        kind="expropriation",
        district=world.district,
        freeze_date=date(2026, 7, 1),
    )
    household_create(
        by=None,
        project=other,
        street=world.street_a,
        number="A002",
        owner_name="张小红",
        stage=Stage.UNSURVEYED,
        id_number="110105198001010011",
    )
    household_create(
        by=None,
        project=world.project,
        street=world.street_a,
        number="A003",
        owner_name="陈大文",
        stage=Stage.APPRAISED,
        wish=Wish.AGREE,
        hard_case=HardCase.NAIL,
    )
    return other


def listed(world, official=None, **params) -> list[str]:
    response = world.client(official or world.olivia).get(LIST, params)
    assert response.status_code == 200
    return numbers(response.content.decode())


def test_the_list_shows_everything_in_scope_by_number(world, ledger):
    assert listed(world) == ["A001", "A002", "A003", "B001", "B002"]
    assert listed(world, world.alice) == ["A001", "A002", "A003"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"street": "street_b"}, ["B001", "B002"]),
        ({"stage": "unsurveyed"}, ["A002"]),
        ({"stage": "appraised"}, ["A003"]),
        ({"stage": "nonsense"}, ["A001", "A002", "A003", "B001", "B002"]),
        ({"wish": "agree"}, ["A003"]),
        ({"wish": "none"}, ["A001", "A002", "B001", "B002"]),
        ({"hard_case": "any"}, ["A003"]),
        ({"hard_case": "nail"}, ["A003"]),
        ({"hard_case": "key"}, []),
        ({"holder": "support"}, ["B002"]),
        ({"q": "A001"}, ["A001"]),
        ({"q": " B002 "}, ["B002"]),
        ({"q": "张"}, ["A001", "A002"]),
        ({"q": "张三"}, ["A001"]),
        ({"q": "三明"}, []),
        ({"q": "002X"}, ["A001"]),
        ({"q": "002x"}, ["A001"]),
        ({"q": "0011"}, ["A002"]),
        ({"stage": "surveyed", "street": "street_a"}, ["A001"]),
    ],
)
def test_the_list_filters(world, ledger, params, expected):
    ids = {"street_a": world.street_a.pk, "street_b": world.street_b.pk, "support": world.support.pk}
    params = {k: ids.get(v, v) for k, v in params.items()}
    assert listed(world, **params) == expected


def test_the_list_filters_by_project(world, ledger):
    assert listed(world, project=ledger.pk) == ["A002"]
    assert listed(world, project=world.project.pk) == ["A001", "A003", "B001", "B002"]


def test_a_filter_never_widens_the_scope(world, ledger):
    assert listed(world, world.alice, street=world.street_b.pk) == []
    assert listed(world, world.alice, holder=world.support.pk) == []
    assert listed(world, world.alice, q="B001") == []


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("number", ["A001", "A002", "A003", "B001", "B002"]),
        ("-number", ["B002", "B001", "A003", "A002", "A001"]),
        ("stage", ["A003", "A001", "B001", "B002", "A002"]),  # appraised, surveyed ×3, unsurveyed
        ("owner", sorted(["A001", "A002", "A003", "B001", "B002"], key=lambda n: OWNERS[n])),
        ("bogus", ["A001", "A002", "A003", "B001", "B002"]),
    ],
)
def test_the_list_sorts(world, ledger, sort, expected):
    assert listed(world, sort=sort) == expected


def test_the_list_shows_the_household_row(world, ledger):
    page = text(world.client(world.olivia).get(LIST, {"q": "A003"}).content.decode())
    assert "A003 陈大文 钉子户 北站片区棚户区改造 城关街道 已评估 同意" in page
    assert "共 1 户" in page


def test_an_htmx_request_gets_only_the_table(world, ledger):
    response = world.client(world.olivia).get(LIST, {"stage": "unsurveyed"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and '<table class="grid">' in page
    assert numbers(page) == ["A002"]


def test_the_list_query_count_does_not_grow_with_the_households(world, django_assert_max_num_queries):
    client = world.client(world.olivia)
    client.get(LIST)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST, {"sort": "owner"}).status_code == 200
        return len(queries)

    few = count()
    for n in range(30):
        household_create(
            by=None,
            project=world.project,
            street=[world.street_a, world.street_b][n % 2],
            number=f"C{n:03d}",
            owner_name=f"测试{n}",
            holder_unit=world.support if n % 3 == 0 else None,
            properties=[{"location": f"测试路{n}号", "certified_area": Decimal("60.00")}],
        )
    many = count()

    assert many == few, f"{few} queries for 3 households, {many} for 33"
    # session, user, official, visible units, count, page, projects, filter units
    with django_assert_max_num_queries(8):
        page = client.get(LIST, {"sort": "owner"}).content.decode()
    assert len(numbers(page)) == 33

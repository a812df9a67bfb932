"""群众举报 from the portal: a photo and a place become a case 待核实 of the chosen street, seen by that street only;
the reporter follows it with the case code and a follow code and sees what happened, never who did it or whose
building it is; a file that is not a photo, a photo too large, a place that is not a street or a nonsense area is
refused with nothing written."""

import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from gaizao.core.models import Evidence
from gaizao.enforcement import services, tipoffs
from gaizao.enforcement.models import Case, CaseStep, TipOff
from gaizao.org.models import Unit
from tests.portal.support import BIG, messages_of, received

from .conftest import jpeg_upload, photo

REPORTER_PHONE = "13700009999"
DESCRIPTION = "屋顶正在加盖一层彩钢房，工人在施工"


def jpeg_bytes(size=(40, 30)) -> bytes:
    """A real JPEG, as a phone's camera would send (Pillow can open it)."""
    buffer = BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


PHOTO = jpeg_bytes()


def upload(data: bytes = PHOTO, name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def report(world, client: Client | None = None, **overrides):
    data = {
        "street": world.street_a.pk,
        "location": "城关一社区人民路18号",
        "description": DESCRIPTION,
        "estimated_area": "35.5",
        "reporter_phone": REPORTER_PHONE,
        "photo": upload(),
    } | overrides
    data = {key: value for key, value in data.items() if value is not None}
    response = (client or Client()).post("/portal/tipoff/", data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def follow(code: str, follow_code: str, client: Client | None = None) -> str:
    response = (client or Client()).post("/portal/tipoff/follow/", {"code": code, "follow": follow_code})
    assert response.status_code == 200
    return response.content.decode()


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_written() -> None:
    assert not Case.objects.exists()
    assert not TipOff.objects.exists()
    assert not Evidence.objects.exists()
    assert not CaseStep.objects.exists()
    assert stored_files() == []


def test_a_tipoff_becomes_a_case_to_check_in_the_chosen_street(world):
    code, follow_code = received(report(world))
    assert re.fullmatch(r"WJ\d{3,}-\d{4}-\d{5}", code) and re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", follow_code)
    case = Case.objects.get()
    assert (case.code, case.status, case.source, case.kind, case.unit, case.district) == (
        code,
        "candidate",
        "tipoff",
        "new",
        world.street_a,
        world.district,
    )
    assert case.footprint_area == case.area == Decimal("35.50") and case.floors == 1
    assert case.location == "城关一社区人民路18号" and DESCRIPTION in case.description
    assert "举报人估计" in case.description and case.created_by is None
    assert not case.steps.exists()  # nobody has looked yet
    tipoff = case.tipoff
    assert tipoff.reporter_phone == REPORTER_PHONE and tipoff.follow_hash and follow_code not in tipoff.follow_hash
    assert (tipoff.evidence.content_type, tipoff.evidence.size, tipoff.evidence.uploaded_by) == (
        "image/jpeg",
        len(PHOTO),
        None,
    )
    with tipoff.evidence.file.open("rb") as stored:
        assert stored.read() == PHOTO
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM enforcement_tipoff")
        assert REPORTER_PHONE not in cursor.fetchone()[0]  # kept encrypted


def test_the_street_sees_the_case_and_its_photo_and_another_street_does_not(world):
    code, _ = received(report(world))
    case = Case.objects.get()
    photo_url = f"/enforcement/evidence/{case.tipoff.evidence_id}/"
    alice, bob = world.client(world.alice), world.client(world.bob)

    listed = alice.get("/enforcement/", {"status": "candidate"}).content.decode()
    assert code in listed
    page = alice.get(f"/enforcement/{case.pk}/").content.decode()
    assert "群众举报" in page and "举报照片" in page and f'href="{photo_url}"' in page
    assert REPORTER_PHONE not in page  # the reporter stays unknown to the street
    shown = alice.get(photo_url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content) == PHOTO
    assert shown["Content-Security-Policy"] == "sandbox"

    assert code not in bob.get("/enforcement/").content.decode()
    assert bob.get(f"/enforcement/{case.pk}/").status_code == 404
    assert bob.get(photo_url).status_code == 404
    assert world.client(world.pat).get(photo_url).status_code == 404
    assert world.client(world.olivia).get(photo_url).status_code == 200


def test_the_reporter_follows_it_from_waiting_to_found_after_the_street_confirms_with_measured_areas(world):
    code, follow_code = received(report(world))
    case = Case.objects.get()
    waiting = follow(code.lower(), follow_code.lower())
    assert code in waiting and "待现场核实" in waiting and "已转属地街道（乡镇）核实" in waiting
    assert "发现立案" not in waiting

    alice = world.client(world.alice)
    response = alice.post(
        f"/enforcement/{case.pk}/confirm/",
        {"kind": "new", "evidence": jpeg_upload("核实.jpg"), "footprint_area": "42.00", "floors": "2", "area": "80.5"},
    )
    assert response.status_code == 302
    assert "已保存" in messages_of(alice.get(response["Location"]).content.decode())
    case.refresh_from_db()
    assert (case.status, case.footprint_area, case.floors, case.area) == (
        "found",
        Decimal("42.00"),
        2,
        Decimal("80.50"),
    )
    assert set(case.steps.values_list("kind", flat=True)) == {"found", "accountability"}

    found = follow(code, follow_code)
    assert "发现立案" in found and "已发现" in found and "待现场核实" not in found


def test_the_follow_page_never_names_the_owner_or_an_official(world):
    code, follow_code = received(report(world))
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(owner_name="孙七")  # the street learns whose it is on site
    services.case_confirm(
        by=world.alice.user,
        case=case,
        evidence=photo(world.alice),
        measured={"footprint_area": Decimal("40"), "floors": 1, "area": Decimal("40")},
    )
    accountability = case.steps.get(kind="accountability").note
    assert "艾丽" in accountability  # the case file names who answers for it ...
    page = follow(code, follow_code)
    assert "发现立案" in page
    for name in ("孙七", "艾丽", "鲍勃", "欧丽", "alice", accountability, REPORTER_PHONE):
        assert name not in page  # ... the reporter's page does not


def test_a_confirmation_without_measurements_keeps_the_estimate_and_bad_measurements_are_refused(world):
    received(report(world))
    case = Case.objects.get()
    evidence = photo(world.alice)
    with pytest.raises(ValidationError, match="建筑面积"):
        services.case_confirm(
            by=world.alice.user,
            case=case,
            evidence=evidence,
            measured={"footprint_area": Decimal("20"), "floors": 1, "area": Decimal("50")},
        )
    case.refresh_from_db()
    assert case.status == "candidate" and case.area == Decimal("35.50")
    confirmed = services.case_confirm(by=world.alice.user, case=case, evidence=evidence)
    assert confirmed.status == "found" and confirmed.area == confirmed.footprint_area == Decimal("35.50")


def test_the_same_report_twice_is_one_case(world):
    code, follow_code = received(report(world))
    again = report(world, location=" 城关一社区 人民路18号", description=DESCRIPTION.replace("，", "， "))
    assert "相同内容已" in again and code in again and follow_code not in again
    assert not BIG.search(again)
    assert (Case.objects.count(), TipOff.objects.count(), Evidence.objects.count()) == (1, 1, 1)
    assert len(stored_files()) == 1
    other = report(world, location="城关一社区人民路20号")  # another place is another report
    received(other)
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (upload(b"GIF89a" + b"\x00" * 200, "现场.jpg"), "内容不是JPEG 图片"),
        (upload(b"this is not a picture at all", "现场.jpg"), "内容不是JPEG 图片"),
        (upload(b"%PDF-1.4 " + b"x" * 100, "现场.jpeg"), "内容不是JPEG 图片"),
        (upload(PHOTO, "现场.svg"), "类型不能上传"),
        (upload(PHOTO, "现场.pdf"), "类型不能上传"),
        (upload(b"", "现场.jpg"), "空文件"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(world, photo, message):
    html = report(world, photo=photo)
    shown = messages_of(html)
    assert "现场照片" in shown and message in shown, shown
    assert "已受理" not in html
    nothing_written()


def test_a_report_without_a_photo_is_refused(world):
    html = report(world, photo=None)
    assert "照片：请上传现场照片" in messages_of(html)
    nothing_written()


def test_a_photo_over_ten_megabytes_is_refused(world):
    big = PHOTO + b"\x00" * (10 * 1024 * 1024 + 1 - len(PHOTO))
    html = report(world, photo=upload(big))
    assert "超过 10 MB 的上限" in messages_of(html)
    nothing_written()
    # just under the limit is taken
    received(report(world, photo=upload(PHOTO + b"\x00" * (10 * 1024 * 1024 - len(PHOTO)))))
    assert Case.objects.count() == 1


def test_a_place_that_is_not_a_street_is_refused(world):
    community = Unit.objects.get(name="城关一社区")
    for unit in (world.district, world.support, community):
        html = report(world, street=unit.pk)
        assert "街道（乡镇）：请选择违建所在的街道或乡镇" in messages_of(html), unit
    html = report(world, street="")
    assert "街道（乡镇）" in messages_of(html)
    nothing_written()
    with pytest.raises(ValidationError, match="不是街道或乡镇"):
        tipoffs.tipoff_report(
            street=world.district, location="某处", description="在建", estimated_area="10", photo=upload()
        )
    nothing_written()


def test_a_street_of_another_district_takes_the_case_into_that_district(world):
    received(report(world, street=world.pat.unit.pk))
    case = Case.objects.get()
    assert case.unit == world.pat.unit and case.district == world.pat.unit.district
    assert world.client(world.pat).get(f"/enforcement/{case.pk}/").status_code == 200
    assert world.client(world.alice).get(f"/enforcement/{case.pk}/").status_code == 404


@pytest.mark.parametrize("area", ["0", "0.00", "-3", "abc", "NaN", "sNaN", "Infinity", "", "100001", "1e9"])
def test_an_estimated_area_that_is_not_a_positive_number_is_refused(world, area):
    html = report(world, estimated_area=area)
    assert "估计面积：" in messages_of(html), messages_of(html)
    nothing_written()


def test_an_estimated_area_that_rounds_to_nothing_is_refused(world):
    html = report(world, estimated_area="0.004")
    assert "估计面积：" in messages_of(html)
    assert not Case.objects.filter(area__lte=0).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"location": "  "}, "位置："),
        ({"description": ""}, "情况："),
        ({"description": "拆" * 2001}, "情况最多"),
        ({"reporter_phone": "123"}, "联系电话："),
    ],
)
def test_a_report_missing_what_it_needs_is_refused(world, overrides, message):
    assert message in messages_of(report(world, **overrides))
    nothing_written()


def test_the_phone_is_optional(world):
    received(report(world, reporter_phone=""))
    assert Case.objects.get().tipoff.reporter_phone == ""


def test_a_wrong_code_and_a_wrong_follow_code_get_the_same_answer_and_five_failures_lock_the_case(world):
    code, follow_code = received(report(world))
    wrong_code = follow("WJ999-2026-00001", follow_code)
    wrong_follow = follow(code, "AAAAAAAA")
    assert "案件编号或查询码不正确" in messages_of(wrong_code)
    assert messages_of(wrong_code) == messages_of(wrong_follow)
    assert "人民路18号" not in wrong_code and "人民路18号" not in wrong_follow
    for _ in range(4):
        follow(code, "")
    locked = follow(code, follow_code)
    assert "尝试次数过多" in messages_of(locked) and "人民路18号" not in locked


def test_a_nonsense_position_is_refused_and_does_not_break_the_streets_list(world):
    client = Client(raise_request_exception=False)
    data = {
        "street": world.street_a.pk,
        "location": "人民路18号",
        "description": DESCRIPTION,
        "estimated_area": "30",
        "photo": upload(),
        "longitude": "1e10",
    }
    response = client.post("/portal/tipoff/", data)
    alice = world.client(world.alice)
    alice.raise_request_exception = False
    assert alice.get("/enforcement/").status_code == 200
    assert response.status_code == 200 and "经度：应在 -180 到 180 度之间" in messages_of(response.content.decode())
    nothing_written()


def test_a_non_numeric_street_is_refused_not_a_server_error(world):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/portal/tipoff/",
        {
            "street": "abc",
            "location": "人民路18号",
            "description": DESCRIPTION,
            "estimated_area": "30",
            "photo": upload(),
        },
    )
    assert response.status_code == 200 and "街道（乡镇）" in messages_of(response.content.decode())
    nothing_written()

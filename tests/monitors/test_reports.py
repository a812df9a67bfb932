"""A monitor's report from the portal: photos (one to six, real photos, not too large), the words and the place,
a position; the same report posted twice is one; only a monitor in office reports; what is written is shown as
text everywhere."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaizao.core.models import Evidence
from gaizao.core.uploads import MB
from gaizao.monitors import services
from gaizao.monitors.models import Report, Step
from tests.portal.support import messages_of

from .conftest import (
    DESCRIPTION,
    PHONE,
    PHOTO,
    PLACE,
    REPORT_CODE,
    fake_jpeg,
    jpeg,
    post_report,
    signed_in,
    stored_files,
    submit,
)

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def monitor_client(public, watched):
    _, code = watched
    return signed_in(PHONE, code)


def landed(client, response) -> str:
    """The page a POST lands on: its redirect followed, or the page itself when it was refused."""
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def nothing_written() -> None:
    assert not Report.objects.exists()
    assert not Step.objects.exists()
    assert not Evidence.objects.exists()


def test_a_report_with_photos_is_received_with_its_code_and_a_first_step(public, watched, monitor_client):
    monitor, _ = watched
    response = post_report(
        monitor_client, photos=[jpeg("1.jpg"), jpeg("2.jpg")], longitude=" 114.305678 ", latitude="30.5928"
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/monitor/report/{report.pk}/"
    page = landed(monitor_client, response)
    assert f"已报告，编号 {report.code}" in messages_of(page)
    assert re.fullmatch(r"JD\d+-\d{4}-\d{5}", report.code) and REPORT_CODE.fullmatch(report.code)
    assert report.code.split("-")[1] == str(timezone.localdate().year)
    assert (report.monitor, report.project, report.district, report.status, report.category) == (
        monitor,
        public.project,
        public.district,
        "submitted",
        "quality",
    )
    assert (report.place, report.description, report.longitude, report.latitude) == (
        PLACE,
        DESCRIPTION,
        Decimal("114.305678"),
        Decimal("30.592800"),
    )
    (step,) = report.steps.all()
    assert (step.kind, step.by_monitor, step.by) == ("submitted", True, None)
    assert sorted(p.name for p in step.photos.all()) == ["1.jpg", "2.jpg"]
    assert {p.content_type for p in step.photos.all()} == {"image/jpeg"}
    assert len(stored_files()) == 2
    home = monitor_client.get("/portal/monitor/").content.decode()
    assert report.code in home and "待交办" in home and PLACE in home


def test_reports_are_numbered_in_turn(public, watched):
    monitor, _ = watched
    first = submit(monitor)
    second = submit(monitor, place="4号楼")
    assert first.code[:-5] == second.code[:-5]
    assert int(second.code[-5:]) == int(first.code[-5:]) + 1


def test_a_report_without_a_photo_is_refused(public, monitor_client):
    response = post_report(monitor_client, photos=None)
    page = landed(monitor_client, response)
    assert response.status_code == 200 and "现场照片：请至少上传一张" in messages_of(page)
    assert PLACE in page and DESCRIPTION in page  # what was written is kept in the form
    nothing_written()


def test_seven_photos_are_refused(public, monitor_client):
    page = landed(monitor_client, post_report(monitor_client, photos=[jpeg(f"{n}.jpg") for n in range(7)]))
    assert "最多 6 张" in messages_of(page) and "7 张" in messages_of(page)
    nothing_written()
    assert stored_files() == []


def test_six_photos_are_the_most(public, monitor_client):
    post_report(monitor_client, photos=[jpeg(f"{n}.jpg") for n in range(6)])
    assert Report.objects.get().steps.get().photos.count() == 6


def test_a_file_that_claims_to_be_a_jpeg_and_is_not_is_refused_and_nothing_is_written(public, monitor_client):
    page = landed(monitor_client, post_report(monitor_client, photos=[fake_jpeg("裂缝.jpg")]))
    assert "现场照片“裂缝.jpg”的内容不是JPEG 图片" in messages_of(page)
    nothing_written()
    assert stored_files() == []


def test_a_bad_photo_after_a_good_one_leaves_no_rows(public, monitor_client):
    page = landed(monitor_client, post_report(monitor_client, photos=[jpeg("好的.jpg"), fake_jpeg("坏的.jpg")]))
    assert "坏的.jpg" in messages_of(page)
    nothing_written()


def test_a_bad_photo_after_a_good_one_leaves_no_file_either(public, monitor_client):
    landed(monitor_client, post_report(monitor_client, photos=[jpeg("好的.jpg"), fake_jpeg("坏的.jpg")]))
    nothing_written()
    assert stored_files() == []


def test_a_photo_over_ten_megabytes_is_refused(public, monitor_client):
    big = jpeg("大.jpg", PHOTO + b"\0" * (11 * MB))
    page = landed(monitor_client, post_report(monitor_client, photos=[big]))
    assert "现场照片“大.jpg”超过 10 MB" in messages_of(page)
    nothing_written()
    assert stored_files() == []


def test_a_file_that_is_not_a_photo_by_its_name_is_refused(public, monitor_client):
    pdf = jpeg("报告.pdf", b"%PDF-1.4\n")
    page = landed(monitor_client, post_report(monitor_client, photos=[pdf]))
    assert "类型不能上传" in messages_of(page)
    nothing_written()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"longitude": "1e10"}, "经度："),
        ({"longitude": "180.5"}, "经度："),
        ({"longitude": "东经114度"}, "经度："),
        ({"longitude": "NaN"}, "经度："),
        ({"latitude": "91"}, "纬度："),
        ({"latitude": "-Infinity"}, "纬度："),
        ({"place": "  "}, "部位："),
        ({"place": "楼" * 201}, "部位："),
        ({"description": ""}, "问题："),
        ({"description": "裂" * 2001}, "问题："),
        ({"category": "bribery"}, "类别："),
        ({"category": ""}, "类别："),
    ],
)
def test_a_refused_report_names_the_field_and_writes_nothing(public, monitor_client, overrides, field):
    page = landed(monitor_client, post_report(monitor_client, **overrides))
    assert field in messages_of(page), messages_of(page)
    nothing_written()
    assert stored_files() == []


def test_the_same_report_posted_twice_within_a_day_is_one_report_and_the_answer_says_when(public, monitor_client):
    first = landed(monitor_client, post_report(monitor_client))
    report = Report.objects.get()
    assert "已报告" in messages_of(first)
    # the same words, spaced otherwise, with other photos: the report already made
    response = post_report(
        monitor_client, place=" 安置小区3号楼 2单元5层", description="楼梯间墙面裂缝 约1米\n", photos=[jpeg("再拍.jpg")]
    )
    assert response["Location"] == f"/portal/monitor/report/{report.pk}/"
    again = messages_of(landed(monitor_client, response))
    at = timezone.localtime(report.submitted_at)
    assert f"相同问题已于 {at:%Y-%m-%d %H:%M} 报告，编号 {report.code}" in again
    assert (Report.objects.count(), Step.objects.count(), Evidence.objects.count(), len(stored_files())) == (1, 1, 1, 1)


def test_the_same_report_a_day_later_or_by_another_monitor_is_a_new_one(public, watched):
    monitor, _ = watched
    first = submit(monitor)
    other, _ = services.monitor_register(
        by=public.olivia.user, project=public.project, name="刘居民", phone="13900003333"
    )
    assert submit(other) != first  # another monitor saw the same crack
    Report.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(hours=24, minutes=1))
    later, new = services.report_submit(
        monitor=monitor, category="quality", place=PLACE, description=DESCRIPTION, photos=[jpeg()]
    )
    assert new and later.pk != first.pk
    assert Report.objects.count() == 3


def test_a_monitor_no_longer_in_office_cannot_report(public, watched):
    monitor, _ = watched
    services.monitor_retire(by=public.olivia.user, monitor=monitor, note="搬离本片区")
    with pytest.raises(PermissionDenied, match="在任"):
        services.report_submit(
            monitor=monitor, category="quality", place=PLACE, description=DESCRIPTION, photos=[jpeg()]
        )
    applicant = services.monitor_apply(project=public.project, name="周敏", phone="13700002222", introduction="居民")
    with pytest.raises(PermissionDenied):
        services.report_submit(
            monitor=applicant, category="quality", place=PLACE, description=DESCRIPTION, photos=[jpeg()]
        )
    nothing_written()


def test_a_monitor_retired_while_signed_in_cannot_post_a_report(public, watched, monitor_client):
    monitor, _ = watched
    services.monitor_retire(by=public.olivia.user, monitor=monitor, note="搬离本片区")
    assert post_report(monitor_client).status_code == 403
    nothing_written()


def test_a_report_names_its_field_when_refused_by_the_service(public, watched):
    monitor, _ = watched
    with pytest.raises(ValidationError, match="经度"):
        services.report_submit(
            monitor=monitor,
            category="quality",
            place=PLACE,
            description=DESCRIPTION,
            photos=[jpeg()],
            longitude=Decimal("1e10"),
        )
    nothing_written()


def test_script_in_a_report_is_shown_as_text_on_every_page(public, watched, monitor_client):
    monitor, _ = watched
    post_report(monitor_client, place=f"3号楼{SCRIPT}", description=f"裂缝{SCRIPT}很长")
    report = Report.objects.get()
    assert report.description == f"裂缝{SCRIPT}很长"  # kept as written
    olivia = public.client(public.olivia)
    office = olivia.get(f"/monitors/{report.pk}/").content.decode()
    listed = olivia.get("/monitors/").content.decode()
    own = monitor_client.get(f"/portal/monitor/report/{report.pk}/").content.decode()
    home = monitor_client.get("/portal/monitor/").content.decode()
    services.report_dismiss(by=public.olivia.user, report=report, reason=f"理由{SCRIPT}")
    published = monitor_client.get(f"/portal/monitor/p/{public.project.code}/").content.decode()
    assert f"裂缝{ESCAPED}很长" in published and f"理由{ESCAPED}" in published
    for page in (office, own, published):
        assert f"裂缝{ESCAPED}很长" in page
    for page in (office, listed, own, home, published):
        assert f"3号楼{ESCAPED}" in page
        assert SCRIPT not in page


def test_script_in_a_monitors_name_is_shown_as_text_to_the_office(public):
    olivia = public.client(public.olivia)
    response = olivia.post(
        "/monitors/people/register/", {"project": public.project.pk, "name": f"张{SCRIPT}", "phone": "13700002222"}
    )
    assert f"张{ESCAPED}" in response.content.decode() and SCRIPT not in response.content.decode()
    people = olivia.get("/monitors/people/").content.decode()
    assert f"张{ESCAPED}" in people and SCRIPT not in people


def test_the_report_form_shows_the_categories_and_the_monitors_project(public, monitor_client):
    page = monitor_client.get("/portal/monitor/report/").content.decode()
    assert public.project.name in page and "工程质量" in page and "施工安全" in page

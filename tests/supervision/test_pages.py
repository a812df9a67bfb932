"""The supervision pages: the office issues and publishes, the unit answers, inspectors see everything."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gaizao.supervision import tick
from gaizao.supervision.models import Escalation, Notice, RectificationStatus, SupervisionItem


def today():
    return timezone.localdate()


def test_the_office_publishes_a_notice_from_lines_and_the_street_answers(world):
    office = world.client(world.olivia)
    lines = f"{world.street_a.name}｜拆后场地未清理｜{(today() + timedelta(days=7)).isoformat()}"
    page = office.post(
        reverse("supervision:notice_publish"),
        {"title": "第3期督查通报", "published_on": today().isoformat(), "problems": lines},
        follow=True,
    ).content.decode()
    assert "拆后场地未清理" in page
    notice = Notice.objects.get()
    pdf = office.get(reverse("supervision:notice_pdf", args=[notice.pk]))
    assert pdf.content.startswith(b"%PDF")
    rectification = notice.rectifications.get()
    upload = SimpleUploadedFile("清理后.pdf", b"%PDF-1.4 photo", content_type="application/pdf")
    world.client(world.alice).post(
        reverse("supervision:rectification", args=[rectification.pk]), {"text": "已清理", "evidence": upload}
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ANSWERED
    assert world.client(world.bob).get(reverse("supervision:notice", args=[notice.pk])).status_code == 404
    assert world.client(world.ivy).get(reverse("supervision:notice", args=[notice.pk])).status_code == 200


def test_a_bad_problem_line_names_its_line_and_saves_nothing(world):
    response = world.client(world.olivia).post(
        reverse("supervision:notice_publish"),
        {"title": "通报", "published_on": today().isoformat(), "problems": "城关街道｜问题"},
        follow=True,
    )
    assert "问题清单第 1 行" in response.content.decode() and not Notice.objects.exists()


def test_an_item_issued_on_the_page_is_escalated_and_seen_by_the_inspector(world):
    office = world.client(world.olivia)
    office.post(
        reverse("supervision:item_create"),
        {
            "title": "三日内完成腾空",
            "unit": world.street_a.pk,
            "deadline": today().isoformat(),
            "source": "leader",
            "report_every": 1,
        },
    )
    item = SupervisionItem.objects.get()
    tick.run(today() + timedelta(days=1))
    inspector = world.client(world.ivy).get(reverse("supervision:overview")).content.decode()
    assert "挂牌督办" in inspector and "三日内完成腾空" in inspector
    assert "三日内完成腾空" not in world.client(world.bob).get(reverse("supervision:overview")).content.decode()
    listed = Escalation.objects.get()  # the office records the outcome from the overview
    office.post(reverse("supervision:escalation_outcome", args=[listed.pk]), {"outcome": "已约谈街道主任"})
    listed.refresh_from_db()
    assert listed.outcome == "已约谈街道主任"
    street = world.client(world.alice)
    upload = SimpleUploadedFile("腾空.pdf", b"%PDF-1.4 photo", content_type="application/pdf")
    street.post(reverse("supervision:item", args=[item.pk]), {"text": "已腾空", "done": "on", "evidence": upload})
    office.post(reverse("supervision:item", args=[item.pk]), {"accept": "yes", "note": "核实"})
    item.refresh_from_db()
    assert item.status == "closed"


def test_the_office_sets_its_ladder_and_a_loop_is_refused_on_the_page(world):
    import json

    from gaizao.supervision.models import Ladder

    office = world.client(world.olivia)
    assert "挂牌督办" in office.get(reverse("supervision:ladder")).content.decode()
    loop = [
        {"code": "a", "name": "挂牌", "after_days": 0, "from": None},
        {"code": "b", "name": "约谈", "after_days": 3, "from": "c"},
        {"code": "c", "name": "问责", "after_days": 3, "from": "b"},
    ]
    refused = office.post(reverse("supervision:ladder"), {"rungs": json.dumps(loop), "lag_points": "15"}, follow=True)
    assert "循环" in refused.content.decode() and not Ladder.objects.exists()
    bad_json = office.post(reverse("supervision:ladder"), {"rungs": "[{", "lag_points": "15"}, follow=True)
    assert "不是有效的 JSON" in bad_json.content.decode()
    office.post(reverse("supervision:ladder"), {"rungs": json.dumps(loop[:1]), "lag_points": "15"})
    assert Ladder.objects.get().lag_points == 15
    assert world.client(world.alice).get(reverse("supervision:ladder")).status_code == 404

"""The case pages: in scope and out of it, the forms that move a case, the API."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from gaizao.enforcement.models import Case

from .conftest import jpeg_upload
from .test_cases import new_case


def test_a_street_lists_and_opens_its_own_cases_and_not_anothers(world):
    ours, theirs = new_case(world), new_case(world, by=world.bob, unit=world.street_b, location="江滨路5号")
    alice = world.client(world.alice)
    page = alice.get(reverse("enforcement:cases")).content.decode()
    assert ours.code in page and theirs.code not in page
    assert alice.get(reverse("enforcement:case", args=[ours.pk])).status_code == 200
    assert alice.get(reverse("enforcement:case", args=[theirs.pk])).status_code == 404
    evidence = theirs.steps.get(kind="found").evidence_id
    assert alice.get(reverse("enforcement:evidence", args=[evidence])).status_code == 404
    assert world.client(world.ivy).get(reverse("enforcement:case", args=[theirs.pk])).status_code == 200
    other_district = world.client(world.pat).get(reverse("enforcement:cases")).content.decode()
    assert ours.code not in other_district and theirs.code not in other_district


def test_a_patrol_registers_a_new_building_stops_it_and_takes_it_down_from_the_pages(world):
    alice = world.client(world.alice)
    found_at = (timezone.localtime() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    response = alice.post(
        reverse("enforcement:case_new"),
        {
            "unit": world.street_a.pk,
            "source": "patrol",
            "kind": "new",
            "location": "人民路12号屋顶",
            "footprint_area": "40",
            "floors": "1",
            "area": "40",
            "found_at": found_at,
            "evidence": jpeg_upload(),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("enforcement:case", args=[case.pk])
    act = lambda action, data: alice.post(reverse("enforcement:case_act", args=[case.pk, action]), data)  # noqa: E731
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert act("stop", {"at": now, "document_no": "城关停字1号", "evidence": jpeg_upload()}).status_code == 302
    today = timezone.localdate().isoformat()
    refused = act("demolish", {"on": today, "method": "self", "removed_area": "40", "before": jpeg_upload()})
    case.refresh_from_db()
    assert refused.status_code == 302 and case.status == "stopped"
    done = {
        "on": today,
        "method": "self",
        "removed_area": "40",
        "before": jpeg_upload("前.jpg"),
        "after": jpeg_upload(),
    }
    act("demolish", done)
    case.refresh_from_db()
    assert case.status == "demolished" and case.removed_area == Decimal("40.00")
    page = alice.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "拆除后照片" in page and "发现→拆除" in page
    clocks = alice.get(reverse("enforcement:clocks")).content.decode()
    assert "城关街道" in clocks


def test_an_inspector_reads_but_cannot_act(world):
    case = new_case(world)
    response = world.client(world.ivy).post(reverse("enforcement:case_act", args=[case.pk, "dismiss"]), {"reason": "x"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "found"


def test_the_api_lists_and_shows_cases_in_scope_only(world):
    ours, theirs = new_case(world), new_case(world, by=world.bob, unit=world.street_b)
    client = world.client(world.alice)
    codes = [row["code"] for row in client.get(reverse("api:illegal_cases")).json()["results"]]
    assert codes == [ours.code]
    detail = client.get(reverse("api:illegal_case", args=[ours.pk])).json()
    assert [s["kind"] for s in detail["steps"]] == ["found", "accountability"] and detail["area"] == "120.00"
    assert client.get(reverse("api:illegal_case", args=[theirs.pk])).status_code == 404
    assert "/api/illegal-cases/" in client.get(reverse("api:schema")).content.decode()


def test_the_cases_page_charts_the_stock_falling_month_by_month(world):
    from gaizao.enforcement import selectors

    from .test_cases import take_down

    today = timezone.localdate()
    first = today.replace(day=1)
    standing = new_case(world, kind="stock", found_at=first)
    take_down(world, new_case(world, found_at=first))
    figures = selectors.monthly(fetched_by=world.olivia.user, year=today.year, today=today)
    assert figures["months"][-1] == f"{today:%Y-%m}" and len(figures["months"]) == today.month
    assert figures["standing"][-1] == 1 and figures["new"][-1] == 1 and figures["removed"][-1] == 1
    assert sum(figures["standing"][:-1]) == 0  # nothing stood before this month
    page = world.client(world.alice).get(reverse("enforcement:cases")).content.decode()
    assert 'id="cases-monthly"' in page and "chart-cases" in page and standing.code in page

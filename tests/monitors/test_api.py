"""The API beside the pages for citizen supervisors' reports and petitions: the same scoping, the same hiding of who
reported or petitioned."""

import yaml
from django.urls import reverse

from gaizao.monitors import services
from gaizao.petitions import services as petitions
from gaizao.petitions.models import Channel
from tests.monitors.conftest import NAME, PHONE, register, submit


def test_the_schema_lists_the_new_endpoints(world):
    schema = yaml.safe_load(world.client(world.alice).get(reverse("api:schema")).content)
    assert {"/api/monitor-reports/", "/api/monitor-reports/{id}/", "/api/petitions/", "/api/petitions/{id}/"} <= set(
        schema["paths"]
    )


def test_a_report_is_read_by_the_office_and_the_unit_fixing_it_and_by_nobody_else(public):
    monitor, _ = register(public)
    report = submit(monitor)
    services.report_assign(by=public.olivia.user, report=report, unit=public.street_a, days=10)
    url = reverse("api:monitor_report", args=[report.pk])
    for person in (public.olivia, public.alice):
        data = public.client(person).get(url).json()
        assert data["code"] == report.code and data["assigned_to"] == public.street_a.name
        assert [s["kind"] for s in data["steps"]] == ["submitted", "assigned"]
        assert NAME not in str(data) and PHONE not in str(data)
    for person in (public.bob, public.pat):
        assert public.client(person).get(url).status_code == 404
    assert public.client(None).get(url).status_code in (401, 403)
    listed = public.client(public.alice).get(reverse("api:monitor_reports"), {"status": "assigned"}).json()
    assert [r["code"] for r in listed["results"]] == [report.code]
    assert public.client(public.bob).get(reverse("api:monitor_reports")).json()["results"] == []


def test_a_petition_names_its_petitioner_to_the_office_only(world):
    petition, _, _ = petitions.petition_submit(
        channel=Channel.VISIT,
        project=world.project,
        theme="compensation",
        content="评估价格偏低，要求复核。",
        reporter_name="陈大伟",
        reporter_phone="13900001111",
        by=world.olivia.user,
    )
    petitions.petition_assign(by=world.olivia.user, petition=petition, unit=world.street_a)
    url = reverse("api:petition", args=[petition.pk])
    office = world.client(world.olivia).get(url).json()
    assert (office["reporter_name"], office["reporter_phone"]) == ("陈大伟", "13900001111")
    street = world.client(world.alice).get(url).json()
    assert street["reporter_name"] == "（信访人信息已隐去）" and street["reporter_phone"] == ""
    assert world.client(world.bob).get(url).status_code == 404
    listed = world.client(world.alice).get(reverse("api:petitions")).json()["results"]
    assert [p["code"] for p in listed] == [petition.code] and "13900001111" not in str(listed)

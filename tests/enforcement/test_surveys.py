"""图斑比对 as a background job: the upload queues it, the job (run here directly: the thread starts only once the
upload is committed, which a test's transaction never is) reads, compares and registers the candidates; the page
polls until it is done; bad outlines fail it with every problem kept and no case made."""

import json
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.enforcement import surveys
from gaizao.enforcement.models import Case, SurveyComparison

BEFORE, AFTER = date(2025, 6, 1), date(2026, 6, 1)


def rectangle(lng: float, lat: float, metres: float = 10.0) -> dict:
    d_lat = metres / 111_195
    d_lng = d_lat / 0.848  # cos 32°
    ring = [[lng, lat], [lng + d_lng, lat], [lng + d_lng, lat + d_lat], [lng, lat + d_lat], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def layer(*shapes: dict) -> bytes:
    features = [{"type": "Feature", "id": f"B{i}", "properties": {}, "geometry": g} for i, g in enumerate(shapes)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


HOUSES = [rectangle(118.80 + i * 0.001, 32.0) for i in range(5)]
GROWN = [*HOUSES, rectangle(118.81, 32.0, metres=12)]  # one new house of 144 m²


def files(before: bytes, after: bytes) -> dict:
    return {
        "before": SimpleUploadedFile("2025.geojson", before),
        "before_on": BEFORE.isoformat(),
        "after": SimpleUploadedFile("2026.geojson", after),
        "after_on": AFTER.isoformat(),
    }


def submit(world, before: bytes, after: bytes, by=None):
    return surveys.survey_submit(
        by=(by or world.alice).user,
        unit=world.street_a,
        before=surveys.SurveyFile(SimpleUploadedFile("2025.geojson", before), BEFORE),
        after=surveys.SurveyFile(SimpleUploadedFile("2026.geojson", after), AFTER),
    )


def test_the_upload_queues_the_comparison_and_the_page_polls_until_it_is_done(world):
    alice = world.client(world.alice)
    response = alice.post(
        reverse("enforcement:survey"), files(layer(*HOUSES), layer(*GROWN)) | {"unit": world.street_a.pk}
    )
    comparison = SurveyComparison.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "enforcement:survey_job", args=[comparison.pk]
    )
    assert comparison.state == "queued" and comparison.before_file and not Case.objects.exists()

    url = reverse("enforcement:survey_job", args=[comparison.pk])
    waiting = alice.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "排队" in waiting and 'hx-trigger="every 2s"' in waiting and "<html" not in waiting

    done = surveys.survey_run(comparison.pk)
    assert done.state == "done" and (done.before_count, done.after_count, done.found) == (5, 6, 1)
    assert done.progress.startswith("比对完成") and len(done.after_sha256) == 64 and not done.before_file
    [case] = Case.objects.all()
    assert case.status == "candidate" and case.source == "survey" and "B5" in case.location
    assert abs(case.area - Decimal(144)) < 2
    assert Decimal("118.81") < case.longitude < Decimal("118.8102") and Decimal(32) < case.latitude < Decimal("32.0002")

    finished = alice.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "完成" in finished and "every 2s" not in finished and case.code in finished
    assert surveys.survey_run(comparison.pk) is None  # done once: a second run finds nothing to claim
    page = alice.get(reverse("enforcement:survey")).content.decode()
    assert "完成" in page and url in page


def test_bad_outlines_fail_the_job_with_every_problem_and_make_no_case(world):
    point = {"type": "Point", "coordinates": [118.8, 32.0]}
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[118.8, 32.0], [118.801, 32.001], [118.801, 32.0], [118.8, 32.001], [118.8, 32.0]]],
    }
    comparison = submit(world, layer(*HOUSES), layer(point, *GROWN, bowtie))
    failed = surveys.survey_run(comparison.pk)
    assert failed.state == "failed" and not Case.objects.exists()
    assert failed.problems[0] == "第 1 个要素（编号 B0）不是多边形，而是 Point"
    assert any("B7" in problem and "自相交" in problem for problem in failed.problems)
    page = world.client(world.alice).get(reverse("enforcement:survey_job", args=[comparison.pk])).content.decode()
    assert "失败" in page and "不是多边形" in page and "every 2s" not in page


def test_what_can_be_checked_at_upload_is_refused_at_once(world):
    with pytest.raises(PermissionDenied):
        submit(world, layer(*HOUSES), layer(*GROWN), by=world.bob)  # another street's
    with pytest.raises(ValidationError, match="应晚于前期"):
        surveys.survey_submit(
            by=world.alice.user,
            unit=world.street_a,
            before=surveys.SurveyFile(SimpleUploadedFile("a.geojson", layer(*HOUSES)), AFTER),
            after=surveys.SurveyFile(SimpleUploadedFile("b.geojson", layer(*GROWN)), BEFORE),
        )
    refused = world.client(world.alice).post(
        reverse("enforcement:survey"),
        files(b"not json at all", layer(*GROWN)) | {"unit": world.street_a.pk},
        follow=True,
    )
    assert "图层文件" in refused.content.decode() and not SurveyComparison.objects.exists()


def test_another_street_does_not_see_the_comparison(world):
    comparison = submit(world, layer(*HOUSES), layer(*GROWN))
    url = reverse("enforcement:survey_job", args=[comparison.pk])
    assert world.client(world.bob).get(url).status_code == 404
    assert world.client(world.olivia).get(url).status_code == 200
    assert "2026.geojson" not in world.client(world.bob).get(reverse("enforcement:survey")).content.decode()


def test_the_queue_runs_what_waits(world):
    first, second = submit(world, layer(*HOUSES), layer(*GROWN)), submit(world, layer(*HOUSES), layer(*HOUSES))
    assert surveys.run_queued() == 2
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, first.found, second.state, second.found) == ("done", 1, "done", 0)
    assert surveys.run_queued() == 0


@pytest.mark.django_db(transaction=True)
def test_once_the_upload_is_committed_its_own_thread_runs_it(world):
    comparison = submit(world, layer(*HOUSES), layer(*GROWN))  # committed: the thread has started
    for thread in threading.enumerate():
        if thread.name == f"gaizao-survey-{comparison.pk}":
            thread.join(timeout=60)
    comparison.refresh_from_db()
    assert comparison.state == "done" and Case.objects.filter(survey=comparison).count() == 1

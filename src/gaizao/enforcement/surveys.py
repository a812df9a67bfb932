"""图斑比对 as a background job. The upload queues a comparison (排队) with its two files; a thread started once the
upload is committed claims it (比对中), reads both layers, compares them and registers each new or grown outline as
a case 待核实 of the street (完成), writing how far it has got for the page to show. Bad outlines fail it (失败) with
every problem kept, and register nothing.

The thread starts only after the upload's transaction commits, which a test's never does: tests run the job with
`survey_run` themselves. `gaizao surveys` runs what waits (after a restart, say), like `gaizao tick` beside the
daily thread (supervision/daily.py).
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connections, transaction
from django.utils import timezone

from gaizao.enforcement.models import Case, CaseKind, CaseSource, CaseStatus, SurveyComparison, SurveyState
from gaizao.enforcement.outlines import Candidate, OutlineError, compare, outline_point, read_layer
from gaizao.enforcement.services import _next_code, check_outline, require_place_staff
from gaizao.org.models import LOCAL_KINDS, Unit

log = logging.getLogger(__name__)
ABANDONED = timedelta(hours=1)  # a comparison 比对中 this long was cut short (the server restarted): run it again
FAILED = "比对中断：服务器内部错误，请重新上传；如再次失败，请联系管理员"


@dataclass(frozen=True)
class SurveyFile:
    """One uploaded layer: the file (an upload, or any django File) and the date its imagery was taken."""

    file: File
    taken_on: date

    @property
    def name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1][:255]


@transaction.atomic
def survey_submit(*, by, unit: Unit, before: SurveyFile, after: SurveyFile, within: dict | None = None):
    """Two survey layers queued for comparison over the unit's area (the street's staff or the office above).
    What can be checked at once is; the outlines are read by the job (survey_run)."""
    require_place_staff(by, unit)
    if unit.kind not in LOCAL_KINDS:
        raise ValidationError(f"“{unit.name}”不是街道或乡镇：比对结果登记在属地街道（乡镇）")
    if after.taken_on <= before.taken_on:
        raise ValidationError(f"后期影像日期（{after.taken_on}）应晚于前期（{before.taken_on}）")
    if within is not None:
        check_outline(within)
    comparison = SurveyComparison.objects.create(
        district_id=unit.district_id or unit.pk,
        unit=unit,
        state=SurveyState.QUEUED,
        progress="排队等候比对",
        before_file=File(before.file, name=before.name),
        before_name=before.name,
        before_on=before.taken_on,
        after_file=File(after.file, name=after.name),
        after_name=after.name,
        after_on=after.taken_on,
        within=within,
        by=by,
    )
    transaction.on_commit(lambda: start(comparison.pk))
    return comparison


def start(pk: int) -> threading.Thread:
    """Runs the comparison in a thread of its own (the page polls it)."""
    thread = threading.Thread(target=_work, args=(pk,), name=f"gaizao-survey-{pk}", daemon=True)
    thread.start()
    return thread


def _work(pk: int) -> None:
    try:
        survey_run(pk)
    except Exception:  # the server goes on; the comparison says it failed
        log.exception("survey comparison %s failed", pk)
        _finish(pk, SurveyState.FAILED, progress="比对失败", problems=[FAILED])
    finally:
        connections.close_all()  # this thread's own connection


def survey_run(pk: int) -> SurveyComparison | None:
    """Claims a queued comparison and runs it to 完成 or 失败; None when it was not waiting (another run has it)."""
    if not SurveyComparison.objects.filter(pk=pk, state=SurveyState.QUEUED).update(
        state=SurveyState.RUNNING, started_at=timezone.now(), progress="正在读取前期图层"
    ):
        return None
    comparison = SurveyComparison.objects.select_related("unit", "unit__district").get(pk=pk)
    clock = time.perf_counter()
    try:
        before = _content(comparison.before_file)
        earlier = read_layer(before, name=comparison.before_name)
        _progress(pk, f"已读取前期图层 {len(earlier):,} 个图斑，正在读取后期图层")
        after = _content(comparison.after_file)
        later = read_layer(after, name=comparison.after_name, origin=earlier.origin)
        _progress(pk, f"已读取前期 {len(earlier):,}、后期 {len(later):,} 个图斑，正在比对")
        found = compare(earlier, later, within=comparison.within)
        _progress(pk, f"已比对后期 {len(later):,} 个图斑，发现 {len(found):,} 处，正在登记案件")
    except OutlineError as error:
        problems = error.problems
        _finish(pk, SurveyState.FAILED, progress=f"比对失败：图层中有 {len(problems):,} 处问题", problems=problems)
        return SurveyComparison.objects.get(pk=pk)
    with transaction.atomic():
        _candidates(comparison, found)
        _finish(
            pk,
            SurveyState.DONE,
            progress=f"比对完成：前期 {len(earlier):,}、后期 {len(later):,} 个图斑，疑似新增 {len(found):,} 处",
            before_sha256=hashlib.sha256(before).hexdigest(),
            after_sha256=hashlib.sha256(after).hexdigest(),
            before_count=len(earlier),
            after_count=len(later),
            found=len(found),
            seconds=Decimal(f"{time.perf_counter() - clock:.2f}"),
        )
    return SurveyComparison.objects.get(pk=pk)


def run_queued() -> int:
    """Every comparison waiting (and any cut short by a restart), one after another; how many ran."""
    SurveyComparison.objects.filter(
        state=SurveyState.RUNNING, started_at__lt=timezone.now() - ABANDONED, before_file__gt=""
    ).update(state=SurveyState.QUEUED, progress="排队等候比对（上次比对中断）")
    waiting = SurveyComparison.objects.filter(state=SurveyState.QUEUED).order_by("at", "pk")
    return sum(survey_run(pk) is not None for pk in waiting.values_list("pk", flat=True))


def _content(stored) -> bytes:
    with stored.open("rb") as file:
        return file.read()


def _progress(pk: int, line: str) -> None:
    SurveyComparison.objects.filter(pk=pk).update(progress=line[:200])


def _finish(pk: int, state: str, *, progress: str, **fields) -> None:
    """The end of a run: its state; its two files are let go once that is saved (their digests stay)."""
    comparison = SurveyComparison.objects.get(pk=pk)
    files = [stored for stored in (comparison.before_file, comparison.after_file) if stored]
    SurveyComparison.objects.filter(pk=pk).update(
        state=state, progress=progress[:200], finished_at=timezone.now(), before_file="", after_file="", **fields
    )
    transaction.on_commit(lambda: [stored.storage.delete(stored.name) for stored in files])


def _candidates(comparison: SurveyComparison, found: list[Candidate]) -> None:
    unit = comparison.unit
    district = unit.district or unit
    first = _next_code(district, comparison.after_on.year)
    prefix, number = first.rsplit("-", 1)
    for offset, candidate in enumerate(found):
        what = "新增图斑" if candidate.kind == "new" else "扩建图斑"
        label = candidate.feature_id or f"第{candidate.index + 1}个"
        longitude, latitude = outline_point(candidate.geometry) or (None, None)
        Case.objects.create(
            code=f"{prefix}-{int(number) + offset:05d}",
            district_id=district.pk,
            unit=unit,
            source=CaseSource.SURVEY,
            kind=CaseKind.NEW,
            status=CaseStatus.CANDIDATE,
            location=f"{unit.name} {what} {label}"[:200],
            outline=candidate.geometry,
            longitude=longitude,
            latitude=latitude,
            footprint_area=candidate.added_area,
            area=candidate.added_area,
            found_on=comparison.after_on,
            description=f"{comparison.before_on} 至 {comparison.after_on} 影像比对发现，面积 {candidate.added_area}㎡",
            survey=comparison,
            created_by_id=comparison.by_id,
        )

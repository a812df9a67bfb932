"""The audit trail's cost: what it adds to the ledger import, and how long `audit verify` takes.

Targets (issue 6): under 20% added to the import; verify over 10,000,000 entries under 2 minutes.
    python bench/audit_trail.py [--rows 100000] [--runs 3] [--entries 10000000]
The import is timed with and without its trail entries (the same workbook, runs interleaved).
"""

import argparse
import statistics
import time
from datetime import date
from unittest import mock

from common import OUT, setup_django, timed
from import_ledger import STREETS, make_workbook


def import_overhead(rows: int, runs: int) -> None:
    from django.db import transaction

    from gaizao.audit import trail
    from gaizao.audit.models import TrailEntry
    from gaizao.ledger.workbook import importer
    from gaizao.org.models import UnitKind
    from gaizao.org.services import unit_create
    from gaizao.projects.services import project_create

    path = OUT / f"ledger-{rows}.xlsx"
    if not path.exists():
        make_workbook(path, rows)
    district = unit_create(name="江北区", kind=UnitKind.DISTRICT)
    for name in STREETS:
        unit_create(name=name, kind=UnitKind.STREET, parent=district)
    unit_create(name="区教育局", kind=UnitKind.SUPPORT_UNIT, parent=district)
    times = {"with": [], "without": []}
    for run in range(runs):
        for mode in ("without", "with"):
            project = project_create(
                code=f"bench-{mode}-{run}",
                name="测速",
                kind="shantytown",
                district=district,
                freeze_date=date(2026, 1, 1),
            )
            skip = mock.patch.object(importer.trail, "append", lambda entries: None) if mode == "without" else None
            with skip or transaction.atomic():
                seconds, report = timed(importer.import_ledger, path=path, project=project)
            assert report.written, report.rejected[:3]
            times[mode].append(seconds)
        print(f"run {run + 1}: without trail {times['without'][-1]:.2f} s, with {times['with'][-1]:.2f} s")
    without, with_ = statistics.median(times["without"]), statistics.median(times["with"])
    print(
        f"{rows:,} rows: import median {with_:.2f} s with the trail, {without:.2f} s without: "
        f"+{100 * (with_ / without - 1):.0f}% (target < 20%); {TrailEntry.objects.count():,} entries"
    )
    assert trail.verify().ok


def verify_speed(entries: int) -> None:
    from django.db import transaction

    from gaizao.audit import trail
    from gaizao.audit.models import TrailEntry

    have = TrailEntry.objects.count()
    started = time.perf_counter()
    batch = 100_000
    data = {"number": "H0000001", "owner_name": "张*明", "id_number": "3401**********1234", "stage": "surveyed"}
    while have < entries:
        n = min(batch, entries - have)
        with transaction.atomic():
            trail.append(trail.Entry("update", "ledger.household", have + i, data, 1) for i in range(n))
        have += n
    filled = time.perf_counter() - started
    print(f"filled to {have:,} entries in {filled:.0f} s ({(have) / max(filled, 1e-9):,.0f} appends/s)")
    seconds, verdict = timed(trail.verify)
    assert verdict.ok, verdict
    print(f"verify {verdict.checked:,} entries: {seconds:.1f} s ({verdict.checked / seconds:,.0f}/s; target < 120 s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=10_000_000)
    args = parser.parse_args()
    setup_django()
    OUT.mkdir(exist_ok=True)
    if args.runs:
        import_overhead(args.rows, args.runs)
    if args.entries:
        verify_speed(args.entries)


if __name__ == "__main__":
    main()

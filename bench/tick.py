"""The ladder's daily run over many open items: the first run lists them all, later runs climb or find nothing.

Target (issue 5): `gaizao tick` over 100,000 open items in under 30 s.
    python bench/tick.py [--items 100000]
"""

import argparse
from datetime import date, timedelta

from common import bench_district, setup_django, timed

DAY = date(2026, 11, 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from django.utils import timezone

    from gaizao.core.bulk import insert_rows
    from gaizao.supervision import tick
    from gaizao.supervision.models import Escalation, SupervisionItem

    district, streets, office = bench_district()
    by = office.pk
    now = timezone.now()
    rows = (
        (
            district.pk,
            "leader",
            f"督办事项 {n}",
            "",
            streets[n % 20].pk,
            DAY - timedelta(days=1 + n % 30),
            0,
            "open",
            by,
            now,
            "",
        )
        for n in range(args.items)
    )
    names = [
        "issuing_unit_id",
        "source",
        "title",
        "detail",
        "unit_id",
        "deadline",
        "report_every",
        "status",
        "issued_by_id",
        "issued_at",
        "acceptance",
    ]
    seconds, _ = timed(insert_rows, SupervisionItem, names, rows)
    print(f"{args.items:,} open items written in {seconds:.1f} s")
    for label, day in (
        ("first run (all listed)", DAY),
        ("same day again (nothing to do)", DAY),
        ("a week later (interviews)", DAY + timedelta(days=7)),
    ):
        seconds, report = timed(tick.run, day)
        print(f"{label}: {seconds:.1f} s, {report.subjects:,} overdue, {len(report.climbed):,} climbed")
    print(f"{Escalation.objects.count():,} escalations on record (target: each run < 30 s)")


if __name__ == "__main__":
    main()

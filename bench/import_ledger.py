"""Import speed: a 100,000-row workbook of the template's shape into an empty project, then again unchanged.

Target (issue 2): under 10 s. Floor here: calamine reads 100k rows in ~2 s, SQLite executemany ~400k rows/s.
    python bench/import_ledger.py [--rows 100000] [--runs 3]
"""

import argparse
import random
import statistics
from datetime import date
from pathlib import Path

import xlsxwriter
from common import OUT, setup_django, timed

STREETS = ["城关街道", "江滨街道", "东湖街道", "西山街道", "北站街道", "南湖镇"]


def make_workbook(path: Path, rows: int) -> None:
    from gaizao.core.idcard import make_id_number
    from gaizao.ledger.workbook.columns import COLUMNS

    rng = random.Random(1)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, [column.header for column in COLUMNS])
    for i in range(rows):
        household = i - (i % 5 == 4)  # every fifth row is a household's second property
        birth = date(1950 + household % 50, 1 + household % 12, 1 + household % 28)
        unregistered = rng.randrange(0, 3000) / 100
        sheet.write_row(
            i + 1,
            0,
            [
                f"H{household:07d}",
                "张三明",
                make_id_number("340104", birth, household % 100, household % 2 == 0),
                f"138{household:08d}",
                1 + household % 6,
                STREETS[household % 6],
                f"人民路{i}号",
                f"皖房权证第{i:08d}号",
                "住宅",
                "砖混",
                1 + i % 6,
                rng.randrange(4000, 20000) / 100,
                unregistered,
                unregistered / 2,
                rng.randrange(3000, 9000) / 100,
                1980 + i % 40,
                rng.randrange(5000, 9000),
                rng.randrange(0, 80000),
                rng.randrange(0, 30000),
                "同意",
                "货币补偿",
                "区教育局",
                "李四",
                "",
            ],
        )
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from gaizao.ledger.workbook.importer import import_ledger
    from gaizao.org.models import UnitKind
    from gaizao.org.services import unit_create
    from gaizao.projects.services import project_create

    OUT.mkdir(exist_ok=True)
    path = OUT / f"ledger-{args.rows}.xlsx"
    if not path.exists():
        seconds, _ = timed(make_workbook, path, args.rows)
        print(f"wrote {path.name} in {seconds:.1f} s")
    district = unit_create(name="江北区", kind=UnitKind.DISTRICT)
    for name in STREETS:
        unit_create(name=name, kind=UnitKind.STREET, parent=district)
    unit_create(name="区教育局", kind=UnitKind.SUPPORT_UNIT, parent=district)
    first, again = [], []
    for run in range(args.runs):
        project = project_create(
            code=f"bench-{run}", name="测速", kind="shantytown", district=district, freeze_date=date(2026, 1, 1)
        )
        seconds, report = timed(import_ledger, path=path, project=project)
        assert report.written and not report.rejected, report.rejected[:3]
        first.append(seconds)
        seconds, report = timed(import_ledger, path=path, project=project)
        assert not report.written and report.households_unchanged == report.rows_read - report.rows_read // 5
        again.append(seconds)
        print(
            f"run {run + 1}: import {first[-1]:.2f} s ({args.rows / first[-1]:,.0f} rows/s), "
            f"re-import unchanged {again[-1]:.2f} s"
        )
    print(
        f"{args.rows:,} rows: import median {statistics.median(first):.2f} s, "
        f"re-import median {statistics.median(again):.2f} s (target < 10 s)"
    )


if __name__ == "__main__":
    main()

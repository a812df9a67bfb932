"""The audit rules' speed: `gaizao audit run` over a demo district, each rule timed.

Target (issue 6): all rules over 1,000,000 households in under 60 s on SQLite. The first run writes every
finding (and its line of the audit trail); the second finds the same and writes nothing: both are timed.
    python bench/audit_rules.py [--households 100000] [--data-dir DIR] [--runs 2]
Without --data-dir a district of --households is built in a throwaway folder (1,000,000 take ~14 minutes);
with it, the district already there is used (or built there once):
    GAIZAO_DATA_DIR=/tmp/million gaizao demo --households 1000000 --no-serve
    python bench/audit_rules.py --data-dir /tmp/million

The demo's people share ID numbers far more than a real district's do (its generator repeats them: 95% of
its people share theirs with about twenty others), which makes 二次补偿 and 疑似重复人员 find hundreds of
thousands of groups, and its birth dates fall on 48 days of the year. --distinct-ids first gives every person
a number of their own (same region, birth year and sex; the day spread over the year), as a real register
would, and says how long that took; it changes the district in --data-dir.
"""

import argparse
from pathlib import Path

from common import setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, help="reuse (or build once) a demo district there")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--distinct-ids", action="store_true", help="one ID number a person (rewrites the district)")
    args = parser.parse_args()
    setup_django(args.data_dir)
    from django.db import connection

    from gaizao.audit.models import Finding, TrailEntry
    from gaizao.audit.rules import engine
    from gaizao.compensation.models import Agreement, Payment
    from gaizao.demo.build import TODAY, DemoBuilder
    from gaizao.ledger.models import Household, Member
    from gaizao.projects.models import Project

    if not Project.objects.exists():
        seconds, _ = timed(DemoBuilder(args.households, args.seed).build)
        print(f"built a demo district of {args.households:,} households in {seconds:.0f} s")
    if args.distinct_ids:
        seconds, changed = timed(distinct_ids)
        print(f"gave {changed:,} people an ID number of their own in {seconds:.0f} s")
    counts = (Household, Member, Agreement, Payment)
    print(", ".join(f"{m.objects.count():,} {m._meta.verbose_name}" for m in counts) + f" ({connection.vendor})")
    for n in range(1, args.runs + 1):
        trail_before = TrailEntry.objects.count()
        seconds, report = timed(engine.run, today=TODAY)
        print(f"\nrun {n}: {seconds:.1f} s (target < 60 s at 1,000,000 households)")
        print(f"  {'rule':<26}{'seconds':>8}{'found':>10}{'new':>10}{'open':>10}{'resolved':>10}")
        for r in report.rules:
            print(f"  {r.rule:<26}{r.seconds:>8.2f}{r.found:>10,}{r.new:>10,}{r.open:>10,}{r.resolved:>10,}")
        written = TrailEntry.objects.count() - trail_before
        print(f"  {Finding.objects.count():,} findings kept; {written:,} lines added to the audit trail")


def distinct_ids() -> int:
    """Every person a valid ID number no one else has, as a real register's: region, birth year and sex kept,
    the day of birth spread over the year (the demo's fall on 48 days of it), order digits 00–99 counted per
    region, date and sex (past 99, the next region code)."""
    import random
    from datetime import date, timedelta

    from django.db import transaction

    from gaizao.core.bulk import update_rows
    from gaizao.core.idcard import make_id_number
    from gaizao.ledger.models import Household, Member

    used: dict[tuple, int] = {}
    changed, rng = 0, random.Random(2026)
    with transaction.atomic():
        for model, names in ((Household, ["id_number", "id_tail"]), (Member, ["id_number"])):
            last = 0
            while rows := list(
                model.objects.filter(pk__gt=last)
                .exclude(id_number="")
                .order_by("pk")
                .values_list("pk", "id_number")[:50_000]
            ):
                updates = []
                for pk, number in rows:
                    region, year, male = number[:6], int(number[6:10]), int(number[16]) % 2 == 1
                    birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
                    n = used.get((region, birth, male), 0)
                    used[(region, birth, male)] = n + 1
                    fresh = make_id_number(f"{int(region) + n // 100:06d}", birth, n % 100, male)
                    updates.append([fresh, fresh[-4:], pk] if len(names) == 2 else [fresh, pk])
                update_rows(model, names, updates)
                changed, last = changed + len(updates), rows[-1][0]
    return changed


if __name__ == "__main__":
    main()

"""The audit rules' speed: `gaizao audit run` over a demo district, each rule timed.

Target (issue 6): all rules over 1,000,000 households in under 60 s on SQLite. The first run writes every
finding (and its line of the audit trail); the second finds the same and writes nothing: both are timed.
    python bench/audit_rules.py [--households 100000] [--data-dir DIR] [--runs 2]
Without --data-dir a district of --households is built in a throwaway folder (1,000,000 take ~14 minutes);
with it, the district already there is used (or built there once):
    GAIZAO_DATA_DIR=/tmp/million gaizao demo --households 1000000 --no-serve
    python bench/audit_rules.py --data-dir /tmp/million

The demo's people each have an ID number of their own, born on any day of the year, as in a register; one
owner in 2,500 is also registered as another household's member, for 二次补偿 and 疑似重复人员 to find.
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


if __name__ == "__main__":
    main()

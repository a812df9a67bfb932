"""The cases map's data: the compact rows (points and outlines) for 20,000 illegal-building cases, seen by the
district's command office, and the size of the JSON the page embeds.

Target (issue 8): the map handles 20,000 cases. The cases are written straight into a fresh database in 20 streets
(about 3 in 4 located, half of those with an outline), around 117.27°E 31.88°N:
    python bench/enforcement_map.py [--cases 20000] [--runs 11]
"""

import argparse
import json
import random
from datetime import date, timedelta
from decimal import Decimal

from common import bench_district, median_ms, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    setup_django()
    from django.db import transaction
    from django.utils import timezone

    from gaizao.core.bulk import insert_rows
    from gaizao.enforcement import selectors
    from gaizao.enforcement.models import Case

    district, streets, office = bench_district()
    rng = random.Random(2026)
    now, today = timezone.now(), date(2026, 11, 20)
    statuses = ("candidate", "found", "stopped", "demolished", "dismissed")

    def row(n: int) -> tuple:
        lng, lat = 117.27 + rng.uniform(-0.15, 0.15), 31.88 + rng.uniform(-0.1, 0.1)
        located = rng.random() < 0.75
        outline = None
        if located and rng.random() < 0.5:
            d = 0.0001 + rng.random() * 0.0001
            ring = [[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]
            outline = {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}
        return (
            f"WJ-{district.pk}-2026-{n:05d}",
            district.pk,
            streets[n % 20].pk,
            "patrol",
            rng.choice(("stock", "new")),
            rng.choice(statuses),
            f"第{n % 20 + 1}街道某村{n}号",
            Decimal(f"{lng:.6f}") if located else None,
            Decimal(f"{lat:.6f}") if located else None,
            outline,
            Decimal("60.00"),
            1,
            Decimal("60.00"),
            today - timedelta(days=n % 300),
            now,
            "",
            "",
            "",
        )

    names = [
        "code",
        "district_id",
        "unit_id",
        "source",
        "kind",
        "status",
        "location",
        "longitude",
        "latitude",
        "outline",
        "footprint_area",
        "floors",
        "area",
        "found_on",
        "created_at",
        "owner_name",
        "description",
        "removal_method",
    ]
    with transaction.atomic():
        seconds, _ = timed(insert_rows, Case, names, (row(n) for n in range(1, args.cases + 1)))
    print(f"{args.cases:,} cases written in {seconds:.1f} s")
    selectors.case_map(fetched_by=office)  # warm
    samples = []
    for _ in range(args.runs):
        seconds, data = timed(selectors.case_map, fetched_by=office)
        samples.append(seconds)
    size = len(json.dumps(data, ensure_ascii=False).encode()) / 1024 / 1024
    print(
        f"map data for {args.cases:,} cases ({len(data['points']):,} points, {len(data['outlines']):,} outlines, "
        f"{data['unlocated_count']:,} without a position; {size:.2f} MB of JSON): {median_ms(samples)}"
    )


if __name__ == "__main__":
    main()

"""Comparing two aerial survey layers of building outlines: read both GeoJSON files, then find the candidates.

Target: the layer comparison of two 200,000-outline GeoJSON surveys in under 60 s.
    python bench/layers.py [--outlines 200000] [--runs 3] [--seed 2026]
The surveys are made up in memory, nothing is written: a grid of house-sized rectangles (6–14 m a side,
turned up to 20°, a few per cent of the plots empty) in degrees around 118.8°E 32.0°N. The later survey
redraws every house up to ~0.3 m off, drops 0.5% of them, extends 0.5% by 30–70% along one side and adds
1% new ones on empty plots. Each run times read_layer of both files and compare() over the whole layer.
"""

import argparse
import math
import os
import statistics
import sys

import numpy as np
import orjson
from common import ROOT, timed

PLOT = 25.0  # metres between plot centres
LNG, LAT = 118.8, 32.0
M_PER_DEG = 6371008.8 * math.pi / 180


def houses(rng: np.random.Generator, count: int) -> np.ndarray:
    """Columns x, y (centre, m), w, h, angle (radians) of `count` houses on distinct plots of a square grid."""
    side = math.ceil(math.sqrt(count / 0.97))
    plots = rng.choice(side * side, size=count, replace=False)
    row, column = np.divmod(plots, side)
    size = rng.uniform(6, 14, size=(count, 2))
    return np.column_stack(
        [
            column * PLOT + rng.uniform(-2, 2, count),
            row * PLOT + rng.uniform(-2, 2, count),
            size,
            rng.uniform(-0.35, 0.35, count),
        ]
    )


def rings(table: np.ndarray) -> list:
    """Closed rings in degrees, as nested lists ready for JSON."""
    x, y, w, h, angle = table.T
    unit = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    dx, dy = unit[None, :, 0] * w[:, None], unit[None, :, 1] * h[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    east, north = x[:, None] + dx * cos - dy * sin, y[:, None] + dx * sin + dy * cos
    lng = LNG + east / (M_PER_DEG * math.cos(math.radians(LAT)))
    return np.round(np.stack([lng, LAT + north / M_PER_DEG], axis=-1), 8).tolist()


def geojson(table: np.ndarray, ids: list[str]) -> bytes:
    features = [
        {
            "type": "Feature",
            "id": fid,
            "properties": {"层数": 1 + k % 4},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for k, (fid, ring) in enumerate(zip(ids, rings(table), strict=True))
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})


def surveys(count: int, seed: int) -> tuple[bytes, bytes, set[str], set[str]]:
    """The earlier and the later survey, and the ids of the houses made new and extended in between."""
    rng = np.random.default_rng(seed)
    total = houses(rng, count + count // 100)
    earlier, added = total[:count], total[count:]
    later = earlier.copy()
    later[:, :2] += rng.normal(0, 0.15, size=(count, 2))
    later[:, 2:4] += rng.normal(0, 0.1, size=(count, 2))
    fate = rng.permutation(count)
    removed, extended = fate[: count // 200], fate[count // 200 : count // 100]
    _extend(rng, later, extended)
    ids = [f"B-{k:06d}" for k in range(len(total))]
    kept = np.setdiff1d(np.arange(count), removed)
    later_ids = [ids[k] for k in kept] + ids[count:]
    before = geojson(earlier, ids[:count])
    after = geojson(np.concatenate([later[kept], added]), later_ids)
    return before, after, set(ids[count:]), {ids[k] for k in extended}


def _extend(rng: np.random.Generator, table: np.ndarray, rows: np.ndarray) -> None:
    """Lengthen one side by 30–70%, the opposite wall staying where it was."""
    grown = table[rows, 3] * rng.uniform(0.3, 0.7, len(rows))
    table[rows, 3] += grown
    table[rows, 0] -= grown / 2 * np.sin(table[rows, 4])
    table[rows, 1] += grown / 2 * np.cos(table[rows, 4])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outlines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from gaizao.enforcement.outlines import compare, read_layer

    seconds, (before, after, new_ids, extended_ids) = timed(surveys, args.outlines, args.seed)
    print(f"made two surveys in {seconds:.1f} s: {len(before) / 1e6:.1f} MB and {len(after) / 1e6:.1f} MB of GeoJSON")
    print(
        "load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"
    )
    totals = []
    for run in range(1, args.runs + 1):
        read_before, earlier = timed(read_layer, before, name="before.geojson")
        read_after, later = timed(read_layer, after, name="after.geojson", origin=earlier.origin)
        seconds, found = timed(compare, earlier, later)
        totals.append(read_before + read_after + seconds)
        print(
            f"run {run}: read {len(earlier):,} outlines {read_before:.1f} s, {len(later):,} outlines "
            f"{read_after:.1f} s, compare {seconds:.1f} s; total {totals[-1]:.1f} s (target < 60 s)"
        )
    report(found, new_ids, extended_ids)
    low, mid, high = min(totals), statistics.median(totals), max(totals)
    print(f"total over {len(totals)} runs: median {mid:.1f} s (min {low:.1f}, max {high:.1f}); target < 60 s")


def report(found: list, new_ids: set[str], extended_ids: set[str]) -> None:
    new = {c.feature_id for c in found if c.kind == "new"}
    extended = {c.feature_id for c in found if c.kind == "extended"}
    print(
        f"candidates: {len(new):,} new ({len(new & new_ids):,} of the {len(new_ids):,} made new), "
        f"{len(extended):,} extended ({len(extended & extended_ids):,} of the {len(extended_ids):,} made larger; "
        f"{len(new & extended_ids):,} of them listed as new)"
    )


if __name__ == "__main__":
    main()

"""Outline and task proposals for a long speech: ten sections of five points each, written with sentences taken
from the seed speeches at run time, up to the size asked.

Target (issue 5): a 10,000-character speech in under 1 s.
    python bench/outline.py [--chars 10000] [--runs 11]
"""

import argparse
import statistics
import sys
import time
from datetime import date

from common import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"


def chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from gaizao.supervision.outline import clean
    from gaizao.supervision.tasks import propose

    sentences = [
        s
        for p in sorted(SEEDS.glob("*.txt"))
        for s in clean(p.read_text(encoding="utf-8")).split("。")
        if 10 < len(s) < 80
    ]
    if not sentences:
        raise SystemExit(f"no speeches in {SEEDS}")
    parts, n = [], 0
    while sum(map(len, parts)) < args.chars:
        points = "".join(f"{chinese(k + 1)}是{sentences[(n + k) % len(sentences)]}。" for k in range(5))
        parts.append(f"{chinese(len(parts) + 1)}、{sentences[n % len(sentences)]}。{points}\n")
        n += 7
    speech = "".join(parts)[: args.chars]
    propose(speech, [], date(2026, 11, 24))  # load the character tables once
    samples = []
    for _ in range(args.runs):
        started = time.perf_counter()
        roots, proposals = propose(speech, ["城关街道", "区住建局"], date(2026, 11, 24))
        samples.append(time.perf_counter() - started)
    low, mid, high = (1000 * x for x in (min(samples), statistics.median(samples), max(samples)))
    print(
        f"{len(speech):,} characters: {len(roots)} top headings, {len(proposals)} proposed tasks, "
        f"median {mid:.1f} ms (min {low:.1f}, max {high:.1f})"
    )


if __name__ == "__main__":
    main()

"""Micro-benchmark for ledger cell parsers: python bench/cells.py [count]

Inputs mimic a hand-typed ledger: mostly floats from calamine and plain strings from CSV, mostly
distinct values (so the parse_decimal cache misses often), with a share of blanks and messy shapes.
"""

import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from gaizao.core.idcard import IdNumberError, make_id_number, normalize_id_number  # noqa: E402
from gaizao.ledger.workbook.cells import CellError, parse_decimal, parse_text  # noqa: E402

MESSY_DECIMALS = ["１２３．４５", "1,234.5", "120.5㎡", "120.5平方米", "1.2万", " 88.8 ", "约120", "120-130"]
NAMES = ["张三", "李四", "王五", "欧阳小明", "合肥市蜀山区三里庵街道", "\u3000赵六\u3000", " 钱七 ", "007"]


def decimal_input(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.55:
        return rng.randint(1000, 5_000_000) / 100
    if roll < 0.65:
        return float(rng.randint(10, 9000))
    if roll < 0.85:
        return f"{rng.randint(1000, 5_000_000) / 100}"
    if roll < 0.95:
        return rng.choice(["", None, "  "])
    return rng.choice(MESSY_DECIMALS)


def text_input(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(NAMES) + str(rng.randint(1, 999))
    if roll < 0.7:
        return float(rng.randint(1, 5000))
    if roll < 0.8:
        return rng.randint(1, 99999) / 10
    if roll < 0.9:
        return f"{rng.randint(1, 300)}号"
    return rng.choice(["", None])


def id_input(rng: random.Random) -> str:
    birth = date(rng.randint(1930, 2015), rng.randint(1, 12), rng.randint(1, 28))
    value = make_id_number(f"34{rng.randint(0, 9999):04d}", birth, rng.randint(0, 99), rng.random() < 0.5)
    roll = rng.random()
    if roll < 0.9:
        return value
    if roll < 0.95:
        return f" {value[:6]} {value[6:14]} {value[14:]} "
    if roll < 0.97:
        return value.translate({c: c + 0xFEE0 for c in range(48, 58)})
    if roll < 0.99:
        return value[:17] + ("0" if value[17] != "0" else "1")
    return value[:15]


def timed(label: str, func: Callable[[Any], Any], inputs: list[Any], error: type[Exception]) -> None:
    started = time.perf_counter()
    for value in inputs:
        try:
            func(value)
        except error:
            pass
    elapsed = time.perf_counter() - started
    print(f"{label:<20} {elapsed / len(inputs) * 1e6:6.3f} µs/call  ({len(inputs):,} calls, {elapsed:.2f} s)")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = random.Random(20260105)
    decimals = [decimal_input(rng) for _ in range(count)]
    texts = [text_input(rng) for _ in range(count)]
    ids = [id_input(rng) for _ in range(count)]
    print(f"distinct decimal inputs: {len(set(map(repr, decimals))):,}")
    timed("parse_decimal(㎡)", lambda v: parse_decimal(v, unit="㎡"), decimals, CellError)
    timed("parse_text", parse_text, texts, CellError)
    timed("normalize_id_number", normalize_id_number, ids, IdNumberError)


if __name__ == "__main__":
    main()

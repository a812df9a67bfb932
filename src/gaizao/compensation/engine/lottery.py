"""The public lottery (摇号) for choosing flats: the order follows from a published seed alone, so anyone
holding the seed and the list of households can recompute it.

    key(household) = SHA-256(seed + ":" + household number), in hex; the order is by key, then number.
"""

import hashlib


def lottery_key(seed: str, number: str) -> str:
    return hashlib.sha256(f"{seed}:{number}".encode()).hexdigest()


def lottery_order(seed: str, numbers: list[str]) -> list[str]:
    if not seed.strip():
        raise ValueError("摇号须先公布种子")
    if len(set(numbers)) != len(numbers):
        raise ValueError("参加摇号的户号有重复")
    return sorted(numbers, key=lambda number: (lottery_key(seed, number), number))

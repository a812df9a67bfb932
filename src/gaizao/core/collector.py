"""Python's cycle collector paused for a bulk job (no Django here: the pure outline parser uses it too)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """A bulk job makes hundreds of thousands of rows, drafts or coordinate lists that hold no cycles, and each full
    collection would rescan them all (a quarter of a 100,000-row import's time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

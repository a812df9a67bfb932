"""Shared set-up for the speed scripts: a throwaway data folder and a configured Django."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def setup_django(data_dir: Path | None = None) -> Path:
    folder = data_dir or Path(tempfile.mkdtemp(prefix="gaizao-bench-"))
    os.environ["GAIZAO_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaizao.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("init", verbosity=0)
    return folder


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def median_ms(samples: list[float]) -> str:
    low, mid, high = (1000 * x for x in (min(samples), statistics.median(samples), max(samples)))
    return f"median {mid:.1f} ms (min {low:.1f}, max {high:.1f})"


def bench_district():
    """江北区 with 20 streets and its command office (user "office"), built through the services: (district,
    streets, the office's user)."""
    from django.contrib.auth import get_user_model

    from gaizao.org.models import UnitKind
    from gaizao.org.services import official_create, unit_create

    district = unit_create(name="江北区", kind=UnitKind.DISTRICT)
    streets = [unit_create(name=f"第{n}街道", kind=UnitKind.STREET, parent=district) for n in range(1, 21)]
    official_create(username="office", password="bench-only-9", name="周建华", unit=district, role="office")
    return district, streets, get_user_model().objects.get(username="office")

"""The server runs the ladder by itself: a background thread ticks once a day (the first check after midnight).

`gaizao tick` from cron does the same; both are safe together, a second run of a day finds its work done.
Set GAIZAO_DAILY_TICK=false to leave it to cron alone."""

import logging
import os
import threading

from django.db import close_old_connections
from django.utils import timezone

from gaizao.supervision import inbox, tick
from gaizao.supervision.models import TickRun

CHECK_EVERY = 15 * 60  # seconds
log = logging.getLogger(__name__)
_started = threading.Event()


def tick_if_due() -> bool:
    """Runs today's tick unless it already ran; True when it ran."""
    today = timezone.localdate()
    if TickRun.objects.filter(day=today, finished_at__isnull=False).exists():
        return False
    report = tick.run(today)
    log.info("ladder ticked %s: %s climbed, %s resolved", today, len(report.climbed), report.resolved)
    inbox.send_digests(today)
    return True


def _loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            tick_if_due()
        except Exception:  # the server must go on serving; the next check tries again
            log.exception("the daily ladder run failed")
        finally:
            close_old_connections()
        stop.wait(CHECK_EVERY)


def start(stop: threading.Event | None = None) -> threading.Thread | None:
    """Starts the daily thread once per process (not when GAIZAO_DAILY_TICK=false)."""
    if os.environ.get("GAIZAO_DAILY_TICK", "true").lower() == "false" or _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=_loop, args=(stop or threading.Event(),), name="gaizao-daily-tick", daemon=True)
    thread.start()
    return thread

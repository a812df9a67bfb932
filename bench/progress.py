"""Progress pages' speed: the dashboard, a street's page, the battle plan, the battle map's data (time and
size, per project), and a full recount of the daily tallies from the events.

Targets (issue 4): the district dashboard under 300 ms and a street's progress page under 100 ms (medians)
with 1,000,000 households and 5,000,000 events in SQLite; the battle map's data for a 20,000-household
project under 200 ms and 2 MB. Build the district first:
    GAIZAO_DATA_DIR=/tmp/million gaizao demo --households 1000000 --no-serve
    python bench/progress.py /tmp/million [--runs 21] [--recount]
"""

import argparse
import os
from pathlib import Path

from common import median_ms, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--recount", action="store_true", help="also time a full recount of the tallies")
    args = parser.parse_args()
    os.environ["GAIZAO_ALLOWED_HOSTS"] = "testserver"
    setup_django(args.data_dir)
    from django.test import Client

    from gaizao.ledger import tally
    from gaizao.ledger.models import Household, HouseholdEvent, Tally
    from gaizao.org.models import Official
    from gaizao.projects.models import Project

    print(f"{Household.objects.count():,} households, {HouseholdEvent.objects.count():,} events")
    print(f"{Tally.objects.count():,} daily tally rows")
    street = Official.objects.select_related("unit").get(user__username="street5").unit
    cases = [
        ("command office, the dashboard page", "office", "/progress/dashboard/"),
        ("command office, the big screen's refresh (JSON)", "office", "/progress/dashboard/data/"),
        ("command office, the district's targets", "office", "/progress/"),
        ("street official, own street's page", "street5", f"/progress/units/{street.id}/"),
        ("command office, a project's battle plan", "office", "/progress/projects/xiguan-village/plan/"),
        ("command office, the day's report roll call", "office", "/progress/reports/?on=2026-11-20"),
    ]
    for title, username, url in cases:
        client = Client()
        client.force_login(Official.objects.get(user__username=username).user)
        client.get(url)
        samples = []
        for _ in range(args.runs):
            seconds, response = timed(client.get, url)
            assert response.status_code == 200, response.status_code
            samples.append(seconds)
        print(f"{title}: {median_ms(samples)}")
    client = Client()
    client.force_login(Official.objects.get(user__username="office").user)
    for project in Project.objects.exclude(households=None).order_by("code"):
        url = f"/progress/projects/{project.code}/map/data/"
        samples = []
        for _ in range(args.runs):
            seconds, response = timed(client.get, url)
            samples.append(seconds)
        households = Household.objects.filter(project=project).count()
        size = len(response.content) / 1024 / 1024
        print(f"battle map data, {project.code} ({households:,} households, {size:.2f} MB): {median_ms(samples)}")
    if args.recount:
        seconds, expected = timed(tally.recount)
        print(f"full recount of the tallies from the events: {seconds:.1f} s ({len(expected):,} rows)")


if __name__ == "__main__":
    main()

"""Ledger list speed: the first page with a street filter and a sort, the count included, through the full page.

Target (issue 2): under 100 ms (median) with 1,000,000 households in SQLite. Build the district first:
    GAIZAO_DATA_DIR=/tmp/million gaizao demo --households 1000000 --no-serve
    python bench/ledger_list.py /tmp/million [--runs 21]
"""

import argparse
import os
from pathlib import Path

from common import median_ms, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    os.environ["GAIZAO_ALLOWED_HOSTS"] = "testserver"
    setup_django(args.data_dir)
    from django.test import Client

    from gaizao.ledger.models import Household
    from gaizao.org.models import Official

    print(f"{Household.objects.count():,} households")
    street_official = Official.objects.select_related("unit").get(user__username="street5")
    street = street_official.unit
    cases = [
        ("street official, own street, sorted by number", "street5", f"?street={street.id}&sort=number"),
        (
            "street official, own street, stage filter, sorted by name",
            "street5",
            f"?street={street.id}&stage=signed&sort=owner",
        ),
        ("command office, one street, sorted by number", "office", f"?street={street.id}&sort=number"),
        ("command office, one street, last page", "office", f"?street={street.id}&sort=number&page=last"),
        ("inspector (everywhere), one street, sorted by stage", "inspector", f"?street={street.id}&sort=stage"),
        ("command office, whole district, no filter", "office", ""),
        ("street official, search by ID tail", "street5", "?q=1234"),
    ]
    for title, username, query in cases:
        client = Client()
        client.force_login(Official.objects.get(user__username=username).user)
        client.get(f"/ledger/{query}")  # warm the cache and the session
        samples = []
        for _ in range(args.runs):
            seconds, response = timed(client.get, f"/ledger/{query}")
            assert response.status_code == 200, response.status_code
            samples.append(seconds)
        print(f"{title}: {median_ms(samples)}")


if __name__ == "__main__":
    main()

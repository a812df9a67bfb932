"""Choosing resettlement flats: in signing order or by a lottery anyone can recompute; one household,
one flat; never two households on one flat, even at the same moment."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from gaizao.compensation.agreements import agreement_draft, agreement_sign
from gaizao.compensation.engine.lottery import lottery_key, lottery_order
from gaizao.compensation.flats import choosing_open, flat_choose
from gaizao.compensation.models import Flat, FlatState
from gaizao.ledger.services import household_create, household_review, household_transition

# ---- the lottery, pure -----------------------------------------------------------------------


def test_the_lottery_order_follows_from_the_seed_alone():
    numbers = ["A001", "A002", "A003", "A004"]
    first = lottery_order("2026-09-01 公证处 7731", numbers)
    assert lottery_order("2026-09-01 公证处 7731", list(reversed(numbers))) == first
    assert sorted(first) == numbers
    assert first == sorted(numbers, key=lambda n: lottery_key("2026-09-01 公证处 7731", n))


def test_another_seed_gives_another_order_and_no_seed_no_lottery():
    numbers = [f"H{i:03d}" for i in range(30)]
    assert lottery_order("seed-1", numbers) != lottery_order("seed-2", numbers)
    with pytest.raises(ValueError, match="须先公布种子"):
        lottery_order(" ", numbers)


# ---- choosing ------------------------------------------------------------------------------------


def swap_household(world, number: str, signed_on: date):
    house = household_create(
        by=world.alice.user,
        project=world.project,
        street=world.street_a,
        number=number,
        owner_name=f"调换{number}",
        persons=2,
        properties=[
            {"location": f"人民路{number}", "certified_area": Decimal(60), "appraised_unit_price": Decimal(7000)}
        ],
    )
    household_review(by=world.olivia.user, household=house)
    household_transition(by=world.alice.user, household=house, stage="appraised")
    agreement = agreement_draft(
        by=world.alice.user,
        household=house,
        choice="产权调换",
        moving_deadline=date(2026, 10, 31),
        planned_signing=signed_on,
        flat_area=Decimal(90),
        flat_price=Decimal(5000),
        transition_months=12,
    )
    return agreement_sign(by=world.alice.user, agreement=agreement, signed_on=signed_on, address="征收办")


@pytest.fixture
def flats(appraised):
    return [
        Flat.objects.create(
            project=appraised.project,
            building="3",
            unit="1",
            floor=floor,
            number=f"{floor}01",
            area=Decimal("90.00"),
            price=Decimal(5000),
        )
        for floor in (2, 5, 9)
    ]


def test_households_choose_in_signing_order(appraised, flats):
    first = swap_household(appraised, "C01", date(2026, 8, 2))
    second = swap_household(appraised, "C02", date(2026, 8, 5))
    choosing_open(by=appraised.olivia.user, project=appraised.project, method="sequence")
    with pytest.raises(ValidationError, match="还没轮到该户：现在轮到户号“C01”"):
        flat_choose(by=appraised.alice.user, agreement=second, flat=flats[0])
    chosen = flat_choose(by=appraised.alice.user, agreement=first, flat=flats[1])
    assert chosen.state == FlatState.CHOSEN and chosen.agreement == first
    with pytest.raises(ValidationError, match="已被其他户选定"):
        flat_choose(by=appraised.alice.user, agreement=second, flat=flats[1])
    flat_choose(by=appraised.alice.user, agreement=second, flat=flats[0])
    with pytest.raises(ValidationError, match="已经选过房"):
        flat_choose(by=appraised.alice.user, agreement=second, flat=flats[2])


def test_a_lottery_sets_the_order_from_the_published_seed(appraised, flats):
    agreements = [swap_household(appraised, f"L{i}", date(2026, 8, 1 + i)) for i in range(3)]
    session = choosing_open(by=appraised.olivia.user, project=appraised.project, method="lottery", seed="公证 4471")
    assert session.order == lottery_order("公证 4471", ["L0", "L1", "L2"])
    with pytest.raises(ValidationError, match="顺序不能再改"):
        choosing_open(by=appraised.olivia.user, project=appraised.project, method="sequence")
    by_number = {a.household.number: a for a in agreements}
    flat_choose(by=appraised.alice.user, agreement=by_number[session.order[0]], flat=flats[0])


def test_a_flat_of_another_size_than_agreed_is_refused(appraised, flats):
    agreement = swap_household(appraised, "S01", date(2026, 8, 2))
    choosing_open(by=appraised.olivia.user, project=appraised.project, method="sequence")
    small = Flat.objects.create(
        project=appraised.project, building="4", floor=1, number="101", area=Decimal(60), price=Decimal(5000)
    )
    with pytest.raises(ValidationError, match="与协议约定的 90㎡ 不符"):
        flat_choose(by=appraised.alice.user, agreement=agreement, flat=small)


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_take_one_flat_once(appraised, flats):
    agreement = swap_household(appraised, "R01", date(2026, 8, 2))
    choosing_open(by=appraised.olivia.user, project=appraised.project, method="sequence")
    outcomes, start = [], threading.Barrier(2)

    def click(flat):
        try:
            start.wait()
            flat_choose(by=appraised.alice.user, agreement=agreement, flat=flat)
            outcomes.append("chosen")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        except OperationalError:  # SQLite's in-memory test database locks the table instead of waiting
            outcomes.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(flats[i],)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("chosen") == 1, outcomes
    assert Flat.objects.filter(agreement=agreement).count() == 1


def test_the_choosing_page_opens_a_lottery_and_takes_the_choice_in_turn(appraised, flats):
    from django.urls import reverse

    swap_household(appraised, "P01", date(2026, 8, 2))
    swap_household(appraised, "P02", date(2026, 8, 3))
    client = appraised.client(appraised.olivia)
    url = reverse("compensation:choosing", args=[appraised.project.pk])
    assert "开始选房（2 户已签产权调换协议）" in client.get(url).content.decode()
    client.post(
        reverse("compensation:choosing_open", args=[appraised.project.pk]), {"method": "lottery", "seed": "7731"}
    )
    first = lottery_order("7731", ["P01", "P02"])[0]
    page = client.get(url).content.decode()
    assert f"现在轮到：{first}" in page and "7731" in page
    client.post(
        reverse("compensation:flat_choose", args=[appraised.project.pk]), {"household": first, "flat": flats[2].pk}
    )
    flats[2].refresh_from_db()
    assert flats[2].agreement.household.number == first
    assert appraised.client(appraised.pat).get(url).status_code == 404

"""The audit trail: every change, login, refusal, download and reveal is chained, and tampering is found."""

import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from gaizao.audit import trail
from gaizao.audit.context import acting
from gaizao.audit.models import TrailEntry, TrailHead
from gaizao.ledger.models import Household
from gaizao.ledger.services import household_create, household_update
from tests.conftest import PASSWORD


def entries(**lookup) -> list[TrailEntry]:
    return list(TrailEntry.objects.filter(**lookup).order_by("seq"))


def raw(sql: str, params=()) -> None:
    """What someone with the database's password could do; PostgreSQL's trigger must be switched off first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_trailentry DISABLE TRIGGER audit_trail_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_trailentry ENABLE TRIGGER audit_trail_append_only")


def test_a_change_is_chained_with_who_did_it_and_personal_data_masked(world):
    with acting(world.alice.user):
        household_update(by=world.alice.user, household=world.house_a, changes={"phone": "13900001111"})
    last = entries(object_type="ledger.household", object_id=str(world.house_a.pk))[-1]
    data = json.loads(last.data)
    assert (last.action, last.actor, last.actor_id) == ("update", "alice", world.alice.user.pk)
    assert last.district_id == world.district.pk
    assert data["phone"] == "139****1111"
    assert data["id_number"] == "1101**********002X"
    assert "13900001111" not in last.data and "11010519491231002X" not in last.data
    assert trail.verify().ok


def test_every_entry_links_to_the_one_before(world):
    rows = entries()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    previous = trail.GENESIS
    for r in rows:
        fields = (
            r.seq,
            r.at_us,
            r.actor_id,
            r.actor,
            r.action,
            r.object_type,
            r.object_id,
            r.district_id,
            r.ip,
            r.data,
        )
        assert r.hash == trail.link(previous, fields)
        previous = r.hash
    assert TrailHead.objects.get().hash == previous


def test_a_change_whose_entry_cannot_be_written_is_not_made(world):
    before = Household.objects.count()
    with mock.patch.object(trail, "link", side_effect=RuntimeError("disk full")), pytest.raises(RuntimeError):
        household_create(
            by=world.alice.user, project=world.project, street=world.street_a, number="A099", owner_name="钱七"
        )
    assert Household.objects.count() == before
    assert not Household.objects.filter(number="A099").exists()


def test_an_altered_row_is_named(world):
    victim = entries(object_type="ledger.household")[1]
    raw("UPDATE audit_trailentry SET data = %s WHERE seq = %s", ['{"owner_name":"假名"}', victim.seq])
    verdict = trail.verify()
    assert not verdict.ok and verdict.broken_seq == victim.seq
    with pytest.raises(CommandError, match=f"第 {victim.seq} 条"):
        call_command("audit", "verify")


def test_a_deleted_row_is_named(world):
    victim = entries()[3]
    raw("DELETE FROM audit_trailentry WHERE seq = %s", [victim.seq])
    verdict = trail.verify()
    assert verdict.broken_seq == victim.seq + 1
    assert f"第 {victim.seq} 至 {victim.seq} 条缺失" in verdict.problem


def test_a_deleted_tail_is_found_through_the_head(world):
    last = TrailHead.objects.get().seq
    raw("DELETE FROM audit_trailentry WHERE seq >= %s", [last - 1])
    verdict = trail.verify()
    assert not verdict.ok and "末尾 2 条被删除" in verdict.problem


def test_a_rewritten_chain_is_found_when_one_hash_is_recomputed_but_not_the_next(world):
    rows = entries()
    target = rows[2]
    forged = trail.link(rows[1].hash, (target.seq, target.at_us, None, "nobody", *[""] * 4, "", "{}"))
    raw(
        "UPDATE audit_trailentry SET actor_id = NULL, actor = 'nobody', action = '', object_type = '', object_id = '',"
        " district_id = NULL, ip = '', data = '{}', hash = %s WHERE seq = %s",
        [forged, target.seq],
    )
    assert trail.verify().broken_seq == target.seq + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete(world):
    from django.db import DatabaseError, transaction

    for sql in ("UPDATE audit_trailentry SET actor = 'x'", "DELETE FROM audit_trailentry"):
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert trail.verify().ok


def test_verify_command_reports_a_whole_chain(world, capsys):
    call_command("audit", "verify")
    assert "哈希链无误" in capsys.readouterr().out


def test_logins_and_failures_are_recorded_without_the_password(world):
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": "wrong password"})
    client.post(reverse("login"), {"username": "nobody", "password": "wrong password"})
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    failed = entries(action="login_failed")
    assert [json.loads(e.data)["username"] for e in failed] == ["alice", "nobody"]
    assert all("wrong password" not in e.data for e in failed)
    assert failed[0].ip == "127.0.0.1"
    login = entries(action="login")[-1]
    assert (login.actor, login.object_id) == ("alice", str(world.alice.user.pk))
    assert not TrailEntry.objects.filter(object_type="auth.user", action="update").exists()


def test_another_streets_household_is_refused_and_recorded(world):
    response = world.client(world.bob).get(reverse("ledger:household_detail", args=[world.house_a.pk]))
    assert response.status_code == 404
    denied = entries(action="denied")[-1]
    assert (denied.actor, denied.object_type, denied.object_id) == ("bob", "ledger.household", str(world.house_a.pk))


def test_a_forbidden_post_is_recorded(world):
    response = world.client(world.ivy).post(reverse("ledger:household_edit", args=[world.house_a.pk]), {})
    assert response.status_code == 403
    denied = entries(action="denied")[-1]
    assert denied.actor == "ivy" and json.loads(denied.data)["method"] == "POST"


def test_a_reveal_and_an_export_are_recorded(world):
    client = world.client(world.olivia)
    client.get(reverse("ledger:household_detail", args=[world.house_a.pk]), {"reveal": "1"})
    reveal = entries(action="reveal")[-1]
    assert (reveal.actor, reveal.object_id) == ("olivia", str(world.house_a.pk))
    response = client.get(reverse("ledger:export"))
    assert response.status_code == 200
    export = entries(action="export")[-1]
    assert export.actor == "olivia" and ".xlsx" in json.loads(export.data)["file"]


@settings(max_examples=30, deadline=None)
@given(
    texts=st.lists(st.text(max_size=30), min_size=2, max_size=12),
    victim=st.integers(min_value=0),
    mutation=st.text(min_size=1, max_size=5),
)
def test_any_single_change_to_any_entry_breaks_the_chain(texts, victim, mutation):
    rows, previous = [], trail.GENESIS
    for seq, text in enumerate(texts, start=1):
        row = (
            seq,
            1_700_000_000_000_000 + seq,
            None,
            "系统",
            "create",
            "x",
            str(seq),
            None,
            "",
            trail.canonical({"t": text}),
        )
        previous = trail.link(previous, row)
        rows.append((row, previous))
    index = victim % len(rows)
    row, stored = rows[index]
    changed = (*row[:9], row[9] + mutation)
    recomputed_from = rows[index - 1][1] if index else trail.GENESIS
    assert trail.link(recomputed_from, changed) != stored


def test_inspectors_read_the_trail_newest_first_and_filtered(world):
    client = world.client(world.ivy)
    client.get(reverse("ledger:household_detail", args=[world.house_a.pk]), {"reveal": "1"})
    html = client.get(reverse("audit:trail"), {"action": "reveal", "actor": "ivy"}).content.decode()
    assert "查看敏感信息" in html and "户主身份证号、电话" in html
    html = client.get(reverse("audit:trail"), {"since": "2026-13-01"}).content.decode()
    assert "起始日期“2026-13-01”不是日期" in html


def test_the_trail_is_not_for_streets_or_the_office(world):
    for who in (world.alice, world.olivia):
        assert world.client(who).get(reverse("audit:trail")).status_code == 403

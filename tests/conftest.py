"""Personas shared by every test, built through the real services.

江北区 has two streets: 城关街道 (Alice works there) and 江滨街道 (Bob). The command headquarters (Olivia,
office) has jurisdiction over the district; Lee is the district leader; Ivy the discipline inspector;
Tom works at 区教育局, a support unit holding one of 江滨街道's households; Pat belongs to another
district altogether. The public has no account.
"""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from gaizao.compensation.services import standard_publish, standard_save
from gaizao.core.masking import mask_numbers
from gaizao.ledger.models import Household
from gaizao.ledger.services import household_create
from gaizao.org.models import Official, Role, Unit, UnitKind
from gaizao.org.services import official_create, unit_create
from gaizao.projects.models import Project
from gaizao.projects.services import project_create

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    district: Unit
    street_a: Unit
    street_b: Unit
    support: Unit
    project: Project
    alice: Official
    bob: Official
    olivia: Official
    lee: Official
    ivy: Official
    tom: Official
    pat: Official
    house_a: Household
    house_b: Household
    house_held: Household

    def client(self, official: Official | None) -> Client:
        client = Client()
        if official is not None:
            client.force_login(official.user)
        return client


def _property(**overrides) -> dict:
    values = {
        "location": "人民路1号",
        "certified_area": Decimal("100.00"),
        "use": "residential",
        "structure": "brick_concrete",
        "appraised_unit_price": Decimal("6000.00"),
    }
    return values | overrides


@pytest.fixture
def world(db) -> World:
    city = unit_create(name="江州市", kind=UnitKind.CITY)
    district = unit_create(name="江北区", kind=UnitKind.DISTRICT, parent=city)
    other = unit_create(name="江南区", kind=UnitKind.DISTRICT, parent=city)
    street_a = unit_create(name="城关街道", kind=UnitKind.STREET, parent=district)
    street_b = unit_create(name="江滨街道", kind=UnitKind.STREET, parent=district)
    unit_create(name="城关一社区", kind=UnitKind.COMMUNITY, parent=street_a)
    hq = unit_create(name="城市更新指挥部", kind=UnitKind.HEADQUARTERS, parent=district, jurisdiction=district)
    inspectors = unit_create(name="区纪委监委", kind=UnitKind.DEPARTMENT, parent=district)
    support = unit_create(name="区教育局", kind=UnitKind.SUPPORT_UNIT, parent=district)
    other_street = unit_create(name="江南街道", kind=UnitKind.STREET, parent=other)

    def person(username, name, unit, role, **extra):
        return official_create(username=username, password=PASSWORD, name=name, unit=unit, role=role, **extra)

    project = project_create(
        code="beizhan", name="北站片区棚户区改造", kind="shantytown", district=district, freeze_date=date(2026, 5, 15)
    )
    house_a = household_create(
        by=None,
        project=project,
        street=street_a,
        number="A001",
        owner_name="张三明",
        id_number="11010519491231002X",
        phone="13812345678",
        persons=3,
        properties=[_property()],
    )
    house_b = household_create(
        by=None,
        project=project,
        street=street_b,
        number="B001",
        owner_name="李四",
        properties=[_property(location="江滨路8号")],
    )
    house_held = household_create(
        by=None,
        project=project,
        street=street_b,
        number="B002",
        owner_name="王五",
        holder_unit=support,
        holder_name="赵老师",
        properties=[_property(location="江滨路9号")],
    )
    return World(
        district=district,
        street_a=street_a,
        street_b=street_b,
        support=support,
        project=project,
        alice=person("alice", "艾丽", street_a, Role.STREET),
        bob=person("bob", "鲍勃", street_b, Role.STREET),
        olivia=person("olivia", "欧丽", hq, Role.OFFICE, can_reveal=True),
        lee=person("lee", "李领导", district, Role.LEADER),
        ivy=person("ivy", "艾薇", inspectors, Role.INSPECTOR, can_reveal=True),
        tom=person("tom", "汤姆", support, Role.TASK_FORCE),
        pat=person("pat", "帕特", other_street, Role.STREET),
        house_a=house_a,
        house_b=house_b,
        house_held=house_held,
    )


SHANTYTOWN = Path(__file__).resolve().parents[1] / "src/gaizao/compensation/examples/shantytown-state-land.toml"


@pytest.fixture
def shantytown(world):
    """The shantytown example standard in force on the world's project (renamed as the example names it): signing
    2026-08-01 … 2026-12-31, published 2026-07-20."""
    project = world.project
    project.code = "beizhan-shantytown"
    project.signing_start, project.signing_end = date(2026, 8, 1), date(2026, 12, 31)
    project.save()
    draft = standard_save(by=world.olivia.user, project=project, source=SHANTYTOWN.read_text(encoding="utf-8"))
    return standard_publish(by=world.olivia.user, standard=draft, on=date(2026, 7, 20))


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a row id of one test's database is another's too."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DATA_DIR = tmp_path


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(autouse=True)
def no_personal_data_in_logs():
    """No test may log a full ID number or mobile number (issue 6): every line every test logs is read."""
    lines = _Lines()
    logging.getLogger().addHandler(lines)
    yield
    logging.getLogger().removeHandler(lines)
    leaked = [mask_numbers(line) for line in lines.lines if mask_numbers(line) != line]
    assert not leaked, f"日志中出现完整身份证号或手机号（此处已遮蔽）：{leaked[:3]}"

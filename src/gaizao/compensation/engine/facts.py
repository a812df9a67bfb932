"""What a formula can read about a household: its figures, its choice and its dates, by English or Chinese name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from gaizao.core.groups import SPECIAL_GROUPS

CHOICES = {"money": "货币补偿", "swap": "产权调换", "voucher": "房票"}
ZERO = Decimal(0)


def choice_code(value: str) -> str:
    for code, label in CHOICES.items():
        if value in (code, label):
            return code
    raise ValueError(f"安置方式“{value}”无效，可选：{'、'.join(CHOICES.values())}")


class PropertyFacts(NamedTuple):
    certified_area: Decimal = ZERO
    recognised_area: Decimal = ZERO
    unregistered_area: Decimal = ZERO
    land_area: Decimal = ZERO
    unit_price: Decimal = ZERO
    decoration: Decimal = ZERO
    attachments: Decimal = ZERO
    use: str = "住宅"  # 住宅 / 非住宅 / 经营
    structure: str = ""  # 框架 / 砖混 / 砖木 / 简易
    shop_area: Decimal = ZERO  # 住改商：住宅用作经营的面积

    @property
    def legal_area(self) -> Decimal:
        return self.certified_area + self.recognised_area


@dataclass(frozen=True)
class HouseholdFacts:
    persons: int = 1
    properties: tuple[PropertyFacts, ...] = ()
    groups: dict[str, int] = field(default_factory=dict)  # special group → members in it


@dataclass(frozen=True)
class Circumstances:
    """The choice and the dates: an agreement's, or a what-if."""

    choice: str = "money"
    signed_on: date | None = None
    vacated_on: date | None = None
    signing_start: date | None = None
    signing_end: date | None = None
    flat_area: Decimal = ZERO
    flat_price: Decimal = ZERO
    transition_months: int = 0


# name → (Chinese alias, what it is)
FACTS: dict[str, tuple[str, str]] = {
    "persons": ("家庭人口", "在册人口"),
    "certified_area": ("证载面积", "各处房屋证载面积之和，㎡"),
    "recognised_area": ("认定合法面积", "未登记但认定合法的面积之和，㎡"),
    "unregistered_area": ("未登记面积", "未登记面积之和，㎡"),
    "unrecognised_area": ("未认定面积", "未登记且未认定合法的面积，㎡"),
    "legal_area": ("合法面积", "证载面积＋认定合法面积，㎡"),
    "land_area": ("土地面积", "占地面积之和，㎡"),
    "land_mu": ("土地亩数", "占地面积折合亩（1亩=666.67㎡）"),
    "residential_area": ("住宅面积", "用途为住宅的合法面积，㎡"),
    "non_residential_area": ("非住宅面积", "用途为非住宅的合法面积，㎡"),
    "business_area": ("经营面积", "用途为经营的合法面积，㎡"),
    "shop_area": ("住改商面积", "住宅用作经营的面积，㎡"),
    "business_value": ("经营房屋价值", "用途为经营的房屋：合法面积×其评估单价之和，元"),
    "shop_value": ("住改商部分价值", "住改商面积×所在房屋评估单价之和，元"),
    "appraised_value": ("评估价值", "各处房屋合法面积×评估单价之和，元"),
    "unit_price": ("评估单价", "按合法面积加权的评估单价，元/㎡"),
    "decoration": ("装修评估", "装修评估之和，元"),
    "attachments": ("附属物评估", "附属物评估之和，元"),
    "use": ("用途", "主要用途：住宅 / 非住宅 / 经营（面积最大的一处）"),
    "structure": ("结构", "主要结构：框架 / 砖混 / 砖木 / 简易"),
    "choice": ("安置方式", "货币补偿 / 产权调换 / 房票"),
    "signing_day": ("签约天数", "签约日是签约期的第几天（第一天为1）"),
    "vacated": ("已定腾空日期", "腾空日期是否已定（已腾空或约定）"),
    "days_to_vacate": ("腾空天数", "签约到腾空的天数（当天腾空为0）"),
    "signed_in_period": ("签约期内", "是否在签约期内签约"),
    "flat_area": ("安置房面积", "产权调换所选安置房面积，㎡"),
    "flat_price": ("安置房单价", "所选安置房的单价，元/㎡"),
    "transition_months": ("过渡期月数", "临时安置的月数"),
    **{f"{code}_persons": (f"{label}人数", f"家庭成员中{label}的人数") for code, label in SPECIAL_GROUPS.items()},
    **{code: (f"{label}户", f"家庭成员中是否有{label}") for code, label in SPECIAL_GROUPS.items()},
}
ALIASES = {alias: name for name, (alias, _) in FACTS.items()}
FACT_NAMES = frozenset(FACTS) | frozenset(ALIASES)
TEXT_FACTS = frozenset({"use", "structure", "choice"})
BOOL_FACTS = frozenset({"signed_in_period", "vacated", *SPECIAL_GROUPS})
NUMERIC_FACTS = frozenset(name for name in FACT_NAMES if ALIASES.get(name, name) not in TEXT_FACTS | BOOL_FACTS)
MU = Decimal("666.67")


def _main(properties: tuple[PropertyFacts, ...], attribute: str, default: str) -> str:
    if not properties:
        return default
    main = properties[0] if len(properties) == 1 else max(properties, key=lambda p: p.legal_area)
    return getattr(main, attribute) or default


def environment(facts: HouseholdFacts, when: Circumstances) -> dict[str, object]:
    """Every fact by its English name (a standard's formulas read Chinese aliases under these names)."""
    certified = recognised = unregistered = land = value = decoration = attachments = shop = ZERO
    business_value = shop_value = ZERO
    by_use = {"住宅": ZERO, "非住宅": ZERO, "经营": ZERO}
    for p in facts.properties:
        legal_here = p.certified_area + p.recognised_area
        certified += p.certified_area
        recognised += p.recognised_area
        unregistered += p.unregistered_area
        land += p.land_area
        value += legal_here * p.unit_price
        decoration += p.decoration
        attachments += p.attachments
        shop += p.shop_area
        shop_value += p.shop_area * p.unit_price
        if p.use in by_use:
            by_use[p.use] += legal_here
        if p.use == "经营":
            business_value += legal_here * p.unit_price
    legal = certified + recognised
    env: dict[str, object] = {
        "persons": Decimal(facts.persons),
        "certified_area": certified,
        "recognised_area": recognised,
        "unregistered_area": unregistered,
        "unrecognised_area": unregistered - recognised,
        "legal_area": legal,
        "land_area": land,
        "land_mu": land / MU,
        "residential_area": by_use["住宅"],
        "non_residential_area": by_use["非住宅"],
        "business_area": by_use["经营"],
        "shop_area": shop,
        "business_value": business_value,
        "shop_value": shop_value,
        "appraised_value": value,
        "unit_price": value / legal if legal else ZERO,
        "decoration": decoration,
        "attachments": attachments,
        "use": _main(facts.properties, "use", "住宅"),
        "structure": _main(facts.properties, "structure", ""),
        "choice": CHOICES[when.choice],
        "signing_day": _signing_day(when),
        "vacated": bool(when.vacated_on and when.signed_on),
        "days_to_vacate": Decimal((when.vacated_on - when.signed_on).days)
        if when.vacated_on and when.signed_on
        else ZERO,
        "signed_in_period": bool(
            when.signed_on
            and when.signing_start
            and when.signing_end
            and when.signing_start <= when.signed_on <= when.signing_end
        ),
        "flat_area": when.flat_area,
        "flat_price": when.flat_price,
        "transition_months": Decimal(when.transition_months),
    }
    groups = facts.groups
    for code in SPECIAL_GROUPS:
        count = groups.get(code, 0)
        env[f"{code}_persons"] = Decimal(count)
        env[code] = count > 0
    return env


def _signing_day(when: Circumstances) -> Decimal:
    if when.signed_on is None or when.signing_start is None:
        return ZERO
    return Decimal((when.signed_on - when.signing_start).days + 1)

"""四清: what the household page must make visible — property status, relocation area, compensation, wish."""

from dataclasses import dataclass
from decimal import Decimal

from gaizao.core.money import area, money


@dataclass(frozen=True)
class FourClears:
    certified_area: Decimal
    recognised_area: Decimal
    unregistered_area: Decimal
    unrecognised_area: Decimal
    relocation_area: Decimal
    appraisal_total: Decimal | None
    properties: int
    certificates: int
    wish: str

    @property
    def property_status(self) -> str:
        return f"{self.properties}处房屋，{self.certificates}本产权证"


def _sum(values) -> Decimal:
    return area(sum((v for v in values if v is not None), Decimal(0)))


def four_clears(properties: list, wish_label: str) -> FourClears:
    certified = _sum(p.certified_area for p in properties)
    recognised = _sum(p.recognised_area for p in properties)
    unregistered = _sum(p.unregistered_area for p in properties)
    appraisal = None
    if properties and all(p.appraised_unit_price is not None for p in properties):
        appraisal = money(
            sum(
                ((p.certified_area or 0) + (p.recognised_area or 0)) * p.appraised_unit_price
                + (p.decoration_value or 0)
                + (p.attachments_value or 0)
                for p in properties
            )
        )
    return FourClears(
        certified_area=certified,
        recognised_area=recognised,
        unregistered_area=unregistered,
        unrecognised_area=area(unregistered - recognised),
        relocation_area=area(certified + recognised),
        appraisal_total=appraisal,
        properties=len(properties),
        certificates=sum(1 for p in properties if p.certificate_no),
        wish=wish_label or "未填报",
    )

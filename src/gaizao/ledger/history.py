"""Readable lines for the event timeline: field names as the office says them, stages by their labels."""

from typing import Any

from gaizao.ledger.models import Household, Property
from gaizao.ledger.stages import Stage


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)
    except Exception:  # an extra column or a field since removed
        return name


def _show(value: Any) -> str:
    if value in (None, ""):
        return "空"
    return Stage(value).label if value in Stage.values else str(value)


def describe(changes: dict[str, list]) -> list[str]:
    lines = []
    for key, (old, new) in changes.items():
        if key.startswith("properties."):
            parts = key.split(".")
            if len(parts) == 2:
                lines.append(f"新增房屋{parts[1]}：{_show(new)}")
                continue
            field = _label(Property, parts[2])
            lines.append(f"房屋{parts[1]}·{field}：{_show(old)} → {_show(new)}")
        else:
            lines.append(f"{_label(Household, key)}：{_show(old)} → {_show(new)}")
    return lines
